"""The claims browser: filters, facets per level, sort, CSV and JSON, explicit truncation."""

import csv
import io
import json

import pytest

from chipkg.server import create_app


def claims(client, **params) -> dict:
    response = client.get("/claims", query_string={**params, "format": "json"})
    assert response.status_code == 200, response.data
    return json.loads(response.data)


def test_all_claims_with_facet_counts_per_level(client):
    data = claims(client)
    assert data["total"] == 55 and len(data["claims"]) == 55 and not data["truncated"]
    facets = data["facets"]["level"]
    assert sum(facets.values()) == 55 and set(facets) <= {"CONF", "REP", "SPEC", "UNSUP", "DEN"}
    ranks = ["CONF", "REP", "SPEC", "UNSUP", "DEN"]
    order = [ranks.index(c["level"]) for c in data["claims"]]
    assert order == sorted(order)                                   # most certain level first


def test_filters_narrow_and_facets_follow_the_other_filters(client):
    samsung = claims(client, org="samsung")
    assert samsung["total"] == 11 and samsung["facets"]["level"] == {"REP": 2, "SPEC": 6, "UNSUP": 3}
    unsupported = claims(client, org="samsung", level="UNSUP")
    assert {c["level"] for c in unsupported["claims"]} == {"UNSUP"} and unsupported["total"] == 3
    assert unsupported["facets"]["level"]["SPEC"] == 6               # facets ignore the level filter
    assert any("contacted Samsung" in c["quote"] for c in unsupported["claims"])
    deal = claims(client, deal="deal-anthropic-samsung-foundry")
    foundry = claims(client, type="FoundryOrder")
    assert deal["total"] > 0 and {c["claim"] for c in deal["claims"]} == {c["claim"] for c in foundry["claims"]}
    both = claims(client, level=["UNSUP", "SPEC"], org="samsung")
    assert both["total"] == 9
    source = claims(client, source="source-blockbeats-anthropic-ai-chips-samsung")
    assert source["total"] == 55
    assert claims(client, org="https://w3id.org/chipkg/id/samsung")["total"] == 11
    assert claims(client, org="nobody")["total"] == 0


def test_sort_by_confidence(client):
    up = [c["confidence"] for c in claims(client, sort="confidence")["claims"]]
    down = [c["confidence"] for c in claims(client, sort="-confidence")["claims"]]
    assert up == sorted(up) and down == sorted(down, reverse=True) and up[0] < up[-1]


def test_truncation_is_said_with_the_total(client):
    response = client.get("/claims", query_string={"limit": 5})
    html = response.data.decode()
    assert response.headers["Chipkg-Truncated"] == "true"
    assert "showing the first 5 of 55 claims" in html and html.count('<tr data-level=') == 5
    data = claims(client, limit=5)
    assert data["truncated"] and len(data["claims"]) == 5 and data["total"] == 55


def test_the_limit_setting_caps_every_answer(shipped):
    client = create_app({"CLAIMS_MAX_ROWS": 7}, shipped).test_client()
    data = json.loads(client.get("/claims?format=json&limit=100").data)
    assert data["limit"] == 7 and len(data["claims"]) == 7 and data["truncated"]


def test_csv_is_the_same_view(client):
    response = client.get("/claims", query_string={"org": "samsung", "format": "csv"})
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    assert len(rows) == 11 and rows[0].keys() >= {"claim", "level", "confidence", "quote", "source"}
    assert response.headers["Vary"] == "Accept"
    assert client.get("/claims", headers={"Accept": "text/csv"}).mimetype == "text/csv"


def test_html_view_has_facets_filters_and_links(client):
    html = client.get("/claims?level=UNSUP").data.decode()
    assert "<h1>Claims: unsupported</h1>" in html and "Confidence band 0.05–0.45" in html
    assert 'data-format="csv"' in html and 'href="/claims?level=UNSUP&amp;format=csv"' in html
    assert 'href="/claims?level=UNSUP&amp;level=SPEC"' in html or 'href="/claims?level=SPEC&amp;level=UNSUP"' in html
    assert '<option value="samsung">Samsung</option>' in html
    assert '<option value="FoundryOrder">foundry order</option>' in html


@pytest.mark.parametrize("query,status", [("level=SURE", 400), ("sort=random", 400), ("limit=0", 400),
                                          ("limit=x", 400), ("format=xlsx", 406), ("org=a%20b", 400)])
def test_bad_parameters_are_refused_clearly(client, query, status):
    response = client.get(f"/claims?{query}")
    assert response.status_code == status and response.data.decode().startswith(f"{status} ")


def test_unknown_parameters_are_harmless(client):
    assert claims(client, **{"x": "y", "utm_source": "z"})["total"] == 55
