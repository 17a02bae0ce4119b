"""as-of and min-evidence on /sparql and /queries: a selection of the data, never a rewrite."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from chipkg.cli import cli
from chipkg.server import create_app, load_dataset
from chipkg.server.config import DEFAULTS

FIXTURES = Path(__file__).parent.parent / "fixtures"
CLAIM = "https://w3id.org/chipkg/id/claim-orion-zephyr-wafer-agreement"
PREFIXES = ("PREFIX ck: <https://w3id.org/chipkg/ontology#> "
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ")
COUNT_BY_LEVEL = PREFIXES + ("SELECT ?n (COUNT(DISTINCT ?c) AS ?k) WHERE { ?c a ck:Claim ; "
                             "ck:evidenceLevel/skos:notation ?n } GROUP BY ?n")
LEVEL_OF = PREFIXES + f"SELECT ?n ?conf WHERE {{ <{CLAIM}> ck:evidenceLevel/skos:notation ?n ; ck:confidence ?conf }}"


@pytest.fixture(scope="module")
def app(tmp_path_factory, sources):
    """The shipped graph plus the three fictional articles, compiled, served."""
    root = tmp_path_factory.mktemp("views")
    folder = root / "sources"
    shutil.copytree(FIXTURES / "sources", folder)
    shutil.copy(sources / "blockbeats-anthropic-ai-chips-samsung.txt", folder)
    result = CliRunner().invoke(cli, ["compile", str(FIXTURES / "claims"), "--sources", str(folder),
                                      "--output-dir", str(root / "kg")])
    assert result.exit_code == 0, result.output
    settings = {**DEFAULTS, "SOURCES_DIR": str(folder),
                "DATA_FILES": sorted(str(p) for p in (root / "kg").glob("*.trig"))}
    return create_app(settings, load_dataset(settings))


@pytest.fixture
def client(app):
    return app.test_client()


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [{k: v["value"] for k, v in b.items()}
            for b in json.loads(response.get_data())["results"]["bindings"]]


def _ask(client, query, **view):
    return client.get("/sparql", query_string={"query": query, "format": "json", **view})


def test_without_a_view_the_claim_has_its_derived_level(client):
    response = _ask(client, LEVEL_OF)
    assert _rows(response) == [{"n": "DEN", "conf": "0.15"}]
    assert response.headers["Chipkg-View"] == "none"


def test_as_of_recomputes_the_level_from_the_sources_published_by_then(client):
    march = _ask(client, LEVEL_OF, **{"as-of": "2026-03-15"})
    assert _rows(march) == [{"n": "REP", "conf": "0.65"}]
    assert march.headers["Chipkg-View"] == "as-of=2026-03-15"
    assert _rows(_ask(client, LEVEL_OF, **{"as-of": "2026-04-30"})) == [{"n": "CONF", "conf": "0.95"}]
    assert _rows(_ask(client, LEVEL_OF, **{"as-of": "2026-02-01"})) == []


def test_a_source_dated_only_to_its_year_is_uncertain_inside_that_year(client):
    claims = PREFIXES + "SELECT (COUNT(DISTINCT ?c) AS ?k) WHERE { ?c a ck:Claim ; prov:wasDerivedFrom " \
        "<https://w3id.org/chipkg/id/source-blockbeats-anthropic-ai-chips-samsung> }"
    claims = "PREFIX prov: <http://www.w3.org/ns/prov#> " + claims
    inside = _ask(client, claims, **{"as-of": "2026-06-23"})
    assert _rows(inside) == [{"k": "0"}]
    assert "excluded" in inside.headers["Chipkg-View-Uncertain"]
    assert "source-blockbeats-anthropic-ai-chips-samsung" in inside.headers["Chipkg-View-Uncertain"]
    assert _rows(_ask(client, claims, **{"as-of": "2027-01-01"})) == [{"k": "55"}]
    before = _ask(client, claims, **{"as-of": "2025-12-31"})
    assert _rows(before) == [{"k": "0"}] and "Chipkg-View-Uncertain" not in before.headers


def test_min_evidence_keeps_only_claims_and_deals_at_or_above_the_level(client):
    plain = {r["n"]: int(r["k"]) for r in _rows(_ask(client, COUNT_BY_LEVEL))}
    for name in ("reported", "REP", "ev:Reported", "https://w3id.org/chipkg/evidence#Reported"):
        response = _ask(client, COUNT_BY_LEVEL, **{"min-evidence": name})
        assert {r["n"]: int(r["k"]) for r in _rows(response)} == {k: v for k, v in plain.items()
                                                                 if k in ("CONF", "REP")}
        assert response.headers["Chipkg-View"] == "min-evidence=REP"
    deals = PREFIXES + "SELECT ?d WHERE { ?d a ck:Deal }"
    assert len(_rows(_ask(client, deals, **{"min-evidence": "CONF"}))) == 3      # the unsupported one left out


def test_views_combine(client):
    response = _ask(client, LEVEL_OF, **{"as-of": "2026-04-30", "min-evidence": "CONF"})
    assert _rows(response) == [{"n": "CONF", "conf": "0.95"}]
    assert response.headers["Chipkg-View"] == "as-of=2026-04-30; min-evidence=CONF"
    assert _rows(_ask(client, LEVEL_OF, **{"as-of": "2026-03-15", "min-evidence": "CONF"})) == []


def test_bad_view_parameters_are_400(client):
    assert _ask(client, LEVEL_OF, **{"as-of": "2026-13-01"}).status_code == 400
    assert _ask(client, LEVEL_OF, **{"as-of": "2026"}).status_code == 400
    assert _ask(client, LEVEL_OF, **{"min-evidence": "likely"}).status_code == 400
    both = client.get("/sparql", query_string={"query": LEVEL_OF, "min-evidence": "REP",
                                               "default-graph-uri": "urn:x"})
    assert both.status_code == 400


def test_stored_queries_take_the_view_and_pages_say_so(client):
    response = client.get("/queries/conflicting-claims", query_string={"format": "json"})
    assert len(_rows(response)) == 2
    earlier = client.get("/queries/conflicting-claims", query_string={"format": "json", "as-of": "2026-04-30"})
    assert _rows(earlier) == [] and earlier.headers["Chipkg-View"] == "as-of=2026-04-30"
    page = client.get("/queries/claims-about", query_string={"as-of": "2026-06-23"},
                      headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "View applied: as-of=2026-06-23." in page.get_data(as_text=True)
    assert "they were left out" in page.get_data(as_text=True)


def test_the_view_is_a_dataset_selection_and_the_query_text_is_untouched(app, client, monkeypatch):
    engine = app.extensions["chipkg"].ready().engine
    seen = []
    original = engine.run

    def spy(plan):
        seen.append(plan)
        return original(plan)

    monkeypatch.setattr(engine, "run", spy)
    assert _ask(client, LEVEL_OF, **{"min-evidence": "SPEC", "as-of": "2026-05-31"}).status_code == 200
    plan = seen[-1]
    assert plan.query == LEVEL_OF
    graph = plan.options["default_graph"][0].value
    assert graph.startswith("urn:chipkg:view:") and plan.store is not None
    assert [g.value for g in plan.options["named_graphs"]] == [graph]


def test_below_the_level_quotes_and_attestations_leave_with_their_claim(client):
    quotes = PREFIXES + "SELECT (COUNT(DISTINCT ?q) AS ?k) WHERE { ?q a ck:Quote }"
    attestations = PREFIXES + "SELECT (COUNT(DISTINCT ?a) AS ?k) WHERE { ?a a ck:Attestation }"
    confirmed_quotes = PREFIXES + ("SELECT (COUNT(DISTINCT ?q) AS ?k) WHERE { ?c a ck:Claim ; ck:evidenceLevel "
                                   "<https://w3id.org/chipkg/evidence#OfficiallyConfirmed> ; ck:hasQuote ?q }")
    view = {"min-evidence": "CONF"}
    assert _rows(_ask(client, quotes, **view)) == _rows(_ask(client, confirmed_quotes))
    assert _rows(_ask(client, attestations, **view)) == [{"k": "0"}]       # the one multi-source claim is denied
    as_of = {"min-evidence": "CONF", "as-of": "2026-04-30"}
    assert _rows(_ask(client, attestations, **as_of)) == [{"k": "2"}]      # report + announcement, no denial yet
    companies = PREFIXES + "SELECT (COUNT(DISTINCT ?o) AS ?k) WHERE { ?o a ck:Company }"
    assert _rows(_ask(client, companies, **view)) == _rows(_ask(client, companies))


def test_a_source_without_a_date_is_left_out_and_the_answer_says_so(tmp_path):
    claims = tmp_path / "claims"
    claims.mkdir()
    text = (FIXTURES / "claims" / "northwind-orion-zephyr.yaml").read_text()
    (claims / "undated.yaml").write_text(text.replace("issued: '2026-03-02'", "issued: null"))
    result = CliRunner().invoke(cli, ["compile", str(claims), "--sources", str(FIXTURES / "sources"),
                                      "--output-dir", str(tmp_path / "kg")])
    assert result.exit_code == 0, result.output
    settings = {**DEFAULTS, "INCLUDE_SHIPPED_GRAPH": False, "SOURCES_DIR": str(FIXTURES / "sources"),
                "DATA_FILES": sorted(str(p) for p in (tmp_path / "kg").glob("*.trig"))}
    client = create_app(settings, load_dataset(settings)).test_client()
    response = _ask(client, LEVEL_OF, **{"as-of": "2030-01-01"})
    assert _rows(response) == []
    assert "1 source(s) without a date, excluded" in response.headers["Chipkg-View-Undated"]
    assert _rows(_ask(client, LEVEL_OF)) == [{"n": "REP", "conf": "0.65"}]


def test_views_named_in_view_preload_are_built_before_serving(app):
    from chipkg.errors import UnusableInput
    dataset = app.extensions["chipkg"].ready().dataset
    preloaded = create_app({"VIEW_PRELOAD": ["min-evidence=REP", "as-of=2026-04-30&min-evidence=CONF"]}, dataset)
    assert len(preloaded.extensions["chipkg"].ready().views["graphs"]) == 2
    response = _ask(preloaded.test_client(), LEVEL_OF, **{"as-of": "2026-04-30", "min-evidence": "CONF"})
    assert _rows(response) == [{"n": "CONF", "conf": "0.95"}]
    for bad in ("min-evidence=likely", "as-of=2026", "level=REP"):
        with pytest.raises(UnusableInput):
            create_app({"VIEW_PRELOAD": [bad]}, dataset)


def test_entity_pages_answer_through_the_view_and_say_so(client):
    """The linked pages run their queries through the same view as /sparql."""
    plain = client.get("/id/samsung", headers={"Accept": "text/html"})
    floor = client.get("/id/samsung?min-evidence=REP", headers={"Accept": "text/html"})
    assert plain.status_code == floor.status_code == 200
    assert plain.headers.get("Chipkg-View", "none") == "none"
    assert floor.headers["Chipkg-View"] == "min-evidence=REP"
    assert 'data-level="UNSUP"' in plain.get_data(as_text=True)
    page = floor.get_data(as_text=True)
    assert 'data-level="UNSUP"' not in page and 'data-level="SPEC"' not in page
    assert "View applied: min-evidence=REP" in page
    as_json = client.get("/id/samsung?min-evidence=CONF&format=json")
    assert as_json.status_code == 200 and as_json.headers["Chipkg-View"] == "min-evidence=CONF"


def test_the_claims_browser_and_pictures_follow_the_view(client):
    everything = client.get("/claims?format=json").get_json()
    confirmed = client.get("/claims?format=json&min-evidence=CONF").get_json()
    assert confirmed != everything
    svg = client.get("/pictures/deal-network.svg?min-evidence=CONF")
    assert svg.status_code == 200 and svg.headers["Chipkg-View"] == "min-evidence=CONF"
    assert b"5,2" not in svg.data            # no dashed (below reported) edge survives the floor


def test_the_claim_page_shows_each_attestation_oldest_first_and_flags_the_conflict(client):
    page = client.get("/id/claim-orion-zephyr-wafer-agreement", headers={"Accept": "text/html"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    history = html[html.index('id="attestations"'):html.index('class="claims"')]
    assert "Sources disagree." in history
    assert "level from the latest statement of a party on record" in history
    # one item per source, by publication date, each with its own level and words
    order = [html for html in history.split('<li class="attestation"')[1:]]
    assert [o.split('data-level="')[1].split('"')[0] for o in order] == ["REP", "CONF", "DEN"]
    assert "2 March 2026" in order[0] and "10 April 2026" in order[1] and "20 May 2026" in order[2]
    assert order[0].count("<blockquote") == 2            # the summary and the body of one article
    assert "has reportedly signed" in order[0] and "denied that it has signed" in order[2]
    assert 'on the record of <a href="/id/orion-labs">Orion Labs</a>' in order[2]
    assert 'on the record of' not in order[0]             # unnamed people are no party
    # the claim's own block says its quotes come from several sources, and is flagged
    assert "and 2 more sources" in html and 'class="conflict-flag"' in html
    as_json = client.get("/id/claim-orion-zephyr-wafer-agreement?format=json").get_json()
    assert as_json["history"]["conflict"] is True
    assert [a["notation"] for a in as_json["history"]["attestations"]] == ["REP", "CONF", "DEN"]


def test_the_history_follows_the_as_of_view(client):
    html = client.get("/id/claim-orion-zephyr-wafer-agreement?as-of=2026-04-30",
                      headers={"Accept": "text/html"}).get_data(as_text=True)
    history = html[html.index('id="attestations"'):html.index('class="claims"')]
    assert history.count('<li class="attestation"') == 2 and "Sources disagree." not in history
    assert "20 May 2026" not in history


def test_the_claims_browser_flags_conflicting_claims(client):
    html = client.get("/claims?source=source-bellhaven-orion-denies",
                      headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'class="conflict-flag" href="/id/claim-orion-zephyr-wafer-agreement#attestations"' in html


def test_a_hand_written_claim_has_no_history_section(client):
    html = client.get("/id/claim-samsung-manufacturing-capabilities",
                      headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'id="attestations"' not in html and "more source" not in html
