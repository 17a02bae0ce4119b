"""Stored queries: listed at /queries (HTML, JSON), run at /queries/<name> with parameters."""

import json

import pyoxigraph as ox

from chipkg.queries import stored_queries


def test_listing_as_json_has_every_stored_query(client, layout):
    response = client.get("/queries", query_string={"format": "json"})
    listed = {q["name"]: q for q in json.loads(response.data)["queries"]}
    known = stored_queries(layout.queries_dir)
    assert set(listed) == set(known) and known
    about = listed["claims-about"]
    assert about["title"] == known["claims-about"].title
    assert about["params"][0]["name"] == "org" and about["params"][0]["kind"] == "iri"
    assert about["url"] == "http://localhost/queries/claims-about" and "SELECT" in about["sparql"]
    assert client.get("/queries", headers={"Accept": "application/json"}).mimetype == "application/json"


def test_listing_as_html(client, layout):
    response = client.get("/queries")
    assert response.mimetype == "text/html"
    for query in stored_queries(layout.queries_dir).values():
        assert f'href="/queries/{query.name}"'.encode() in response.data


def test_run_with_default_parameters_in_a_results_format(client):
    response = client.get("/queries/claims-about", headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200 and response.headers["Chipkg-Truncated"] == "false"
    rows = list(ox.parse_query_results(response.data, ox.QueryResultsFormat.JSON))
    assert rows and {r["org"].value for r in rows} == {"https://w3id.org/chipkg/id/broadcom"}


def test_run_with_a_parameter_bound_by_substitution(client):
    response = client.get("/queries/claims-about", query_string={"org": "kg:samsung", "format": "tsv"})
    rows = list(ox.parse_query_results(response.data, ox.QueryResultsFormat.TSV))
    assert rows and {r["org"].value for r in rows} == {"https://w3id.org/chipkg/id/samsung"}


def test_parameters_cannot_inject_sparql(client):
    response = client.get("/queries/claims-about",
                          query_string={"org": "kg:x> } ; DROP ALL ; SELECT * { <urn:a", "format": "json"})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert list(ox.parse_query_results(response.data, ox.QueryResultsFormat.JSON)) == []


def test_html_page_has_the_form_the_query_and_the_results(client):
    response = client.get("/queries/claims-about", query_string={"org": "kg:samsung"},
                          headers={"Accept": "text/html,*/*;q=0.8"})
    page = response.data.decode()
    assert response.mimetype == "text/html"
    assert '<form method="get" action="/queries/claims-about">' in page
    assert 'name="org" value="kg:samsung"' in page and '<table class="results">' in page and "kg:samsung" in page


def test_unknown_query_is_404_and_bad_parameters_400(client):
    assert client.get("/queries/no-such-query").status_code == 404
    assert client.get("/queries/claims-about", query_string={"nope": "1"}).status_code == 400
    assert client.get("/queries/claims-about", query_string={"org": "not a name"}).status_code == 400
