"""Pictures as SVG: the deal network laid out by Graphviz dot, the timeline at real precision."""

import re
import shutil
import xml.etree.ElementTree as ET

import pytest
from flask import Flask

from chipkg.server import create_app
from chipkg.server.linked.pictures import DealEdge, dot_string, dot_text, run_dot

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


@pytest.fixture(scope="module")
def dot():
    found = shutil.which("dot")
    assert found, "Graphviz dot is not installed: scripts/debian-packages installs graphviz"
    return found


def test_home_page_draws_the_deal_network_with_a_legend_and_a_table_twin(client, dot):
    html = client.get("/").data.decode()
    figure = re.search(r'<figure id="deal-network".*?</figure>', html, re.S).group(0)
    assert '<svg role="group" aria-label="Deal network' in figure
    for local in ("samsung", "anthropic", "openai", "broadcom", "micron", "amazon", "aws"):
        assert f'xlink:href="/id/{local}"' in figure, local
    assert "unsupported (dashed)" in figure and "officially confirmed" in figure     # the legend
    twin = re.search(r'<table class="deal-twin">.*?</table>', html, re.S).group(0)
    assert twin.count("<tr data-level=") == 4 and 'href="/id/deal-anthropic-samsung-foundry"' in twin


def test_edges_are_coloured_by_level_dashed_below_reported_and_labelled(client, dot):
    svg = ET.fromstring(client.get("/pictures/deal-network.svg").data)
    edges = {}
    for group in svg.iter(SVG + "g"):
        if group.get("class") == "edge":
            link = next(group.iter(SVG + "a"))
            path = next(group.iter(SVG + "path"))
            label = " ".join(t.text for t in group.iter(SVG + "text"))
            edges.setdefault(link.get(XLINK), []).append((path.get("stroke"), path.get("stroke-dasharray"), label))
    foundry = edges["/id/deal-anthropic-samsung-foundry"]
    assert foundry == [("#cf222e", "5,2", "foundry order")]
    amazon = edges["/id/deal-anthropic-amazon-partnership-expansion"]
    assert len(amazon) == 2 and all(stroke == "#1a7f37" and dash is None for stroke, dash, _ in amazon)
    assert svg.find(SVG + "title") is not None
    titles = {t.text for t in svg.iter(SVG + "title")}
    assert "Anthropic" in titles and "Anthropic->AWS" in titles       # what a screen reader says


def test_dot_text_escapes_what_comes_from_the_data(dot):
    assert dot_string('a"b\\c\nd') == '"a\\"b\\\\c d"'
    hostile = 'A"]; n9 [URL="javascript:x'
    edge = DealEdge("https://w3id.org/chipkg/id/d", 'x"]; evil -> y [label="', "UNSUP", ['t"'],
                    [("https://w3id.org/chipkg/id/a", hostile), ("https://w3id.org/chipkg/id/b", "B\\N <i>")])
    app = Flask(__name__)
    app.config.update(PUBLIC_BASE="https://w3id.org/chipkg/", DOT_PROGRAM=dot, DOT_TIMEOUT_SECONDS=10)
    with app.app_context():
        svg, problem = run_dot(dot_text([edge], "T"), "T")
    assert problem is None
    tree = ET.fromstring(str(svg))
    groups = [g.get("class") for g in tree.iter(SVG + "g")]
    assert groups.count("node") == 2 and groups.count("edge") == 1    # the data added nothing
    texts = [t.text for t in tree.iter(SVG + "text")]
    assert hostile in texts and "B\\N <i>" in texts                     # shown as written
    assert "javascript:" not in "".join(a.get(XLINK) or "" for a in tree.iter(SVG + "a"))


def test_missing_dot_is_said_on_the_page_instead_of_failing(shipped):
    app = create_app({"DOT_PROGRAM": "/nonexistent/graphviz/dot"}, shipped)
    client = app.test_client()
    home = client.get("/")
    assert home.status_code == 200
    figure = re.search(r'<figure id="deal-network".*?</figure>', home.data.decode(), re.S).group(0)
    assert "dot program (/nonexistent/graphviz/dot) is not installed" in figure and "<svg" not in figure
    assert '<table class="deal-twin">' in home.data.decode()
    entity = client.get("/id/anthropic")
    assert entity.status_code == 200 and b"is not installed" in entity.data
    picture = client.get("/pictures/deal-network.svg")
    assert picture.status_code == 200 and picture.mimetype == "image/svg+xml"
    assert b"Picture unavailable" in picture.data
    ET.fromstring(picture.data)


def test_timeline_draws_each_date_at_its_precision(client):
    response = client.get("/pictures/timeline.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = ET.fromstring(response.data)
    bars = {}
    for group in svg.iter(SVG + "g"):
        if group.get("class") == "event":
            title = group.find(f"{SVG}a/{SVG}title")
            rect = group.find(f"{SVG}a/{SVG}rect")
            bars[title.text] = float(rect.get("width"))
    year = bars["Jalapeño deployment (planned): planned, 2026"]
    month = bars["Anthropic–Amazon partnership expansion (April 2026): deal announced, April 2026"]
    day = bars["Micron–Anthropic strategic agreement (2026-06-22): deal announced, 22 June 2026"]
    assert year == pytest.approx(920, abs=1)                     # the whole axis is the year 2026
    assert month == pytest.approx(920 * 30 / 365, abs=0.5)        # April: 30 days, not its 1st
    assert day == 3.0                                             # one day: the narrowest bar
    home = client.get("/").data.decode()
    assert '<figure id="timeline"' in home and "Timeline of dated events" in home


def test_pictures_are_computed_once_per_dataset(client, monkeypatch, dot):
    client.get("/pictures/deal-network.svg")
    calls = []
    import subprocess
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a))
    assert client.get("/pictures/deal-network.svg").status_code == 200 and not calls


def test_home_page_answers_json_with_what_it_draws(client):
    data = client.get("/?format=json").get_json()
    assert data["deals_total"] == 4 and len(data["deals"]) == 4
    april = next(e for e in data["events"] if e["when"] == "April 2026")
    assert (april["from"], april["to"]) == ("2026-04-01", "2026-04-30")       # a month, as a month
    year = next(e for e in data["events"] if e["kind"] == "planned")
    assert (year["from"], year["to"], year["when"]) == ("2026-01-01", "2026-12-31", "2026")
    assert data["links"]["claims"] == "/claims" and data["links"]["editor"] == "/query"


def test_pictures_say_when_they_are_cut(shipped):
    client = create_app({"PICTURE_MAX_ITEMS": 2}, shipped).test_client()
    html = client.get("/").data.decode()
    assert "Showing 2 of 4 deals" in html and "Showing the first 2 of 5 events" in html
    svg = ET.fromstring(client.get("/pictures/timeline.svg").data)
    assert sum(1 for g in svg.iter(SVG + "g") if g.get("class") == "event") == 2


def test_a_failing_or_slow_dot_is_said_too(shipped, tmp_path):
    failing = tmp_path / "failing-dot"
    failing.write_text("#!/bin/sh\necho 'Error: syntax error in line 1' >&2\nexit 1\n")
    slow = tmp_path / "slow-dot"
    slow.write_text("#!/bin/sh\nsleep 5\n")
    for program in (failing, slow):
        program.chmod(0o755)
    said = {}
    for program, seconds in ((failing, 10.0), (slow, 0.3)):
        client = create_app({"DOT_PROGRAM": str(program), "DOT_TIMEOUT_SECONDS": seconds}, shipped).test_client()
        response = client.get("/")
        assert response.status_code == 200
        said[program.name] = re.search(r'<p class="unavailable"[^>]*>(.*?)</p>', response.data.decode()).group(1)
    assert "dot failed (Error: syntax error in line 1)" in said["failing-dot"]
    assert "dot took longer than 0.3 s" in said["slow-dot"]
