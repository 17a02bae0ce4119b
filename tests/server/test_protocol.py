"""The SPARQL 1.1 Protocol query operation: the three ways in, the dataset, and the refusals."""

import json
import re

import pyoxigraph as ox
import pytest

from endpoint_helpers import CK, DEALS, GRAPH

JSON = "application/sparql-results+json"


def deals_of(response) -> list[str]:
    assert response.status_code == 200, response.data
    return [row["deal"].value for row in ox.parse_query_results(response.data, ox.QueryResultsFormat.JSON)]


def test_get_query(client):
    deals = deals_of(client.get("/sparql", query_string={"query": DEALS}))
    assert len(deals) == 4 and all(d.startswith("https://w3id.org/chipkg/id/deal-") for d in deals)


def test_post_form(client):
    assert len(deals_of(client.post("/sparql", data={"query": DEALS}))) == 4


def test_post_sparql_query_body(client):
    response = client.post("/sparql", data=DEALS.encode(), content_type="application/sparql-query")
    assert len(deals_of(response)) == 4


def test_post_sparql_query_body_utf8_charset_is_honoured_and_others_refused(client):
    # the protocol allows UTF-8 only (issue 10): a Latin-1 body is refused, not transcoded
    text = CK + 'SELECT ?x WHERE { BIND("Jalapeño" AS ?x) }'
    response = client.post("/sparql", data=text.encode("utf-8"),
                           content_type="application/sparql-query; charset=UTF-8")
    assert b"Jalape\xc3\xb1o" in response.data
    response = client.post("/sparql", data=text.encode("latin-1"),
                           content_type="application/sparql-query; charset=latin-1")
    assert response.status_code == 400 and b"charset latin-1" in response.data


def test_get_without_query_is_the_service_description_not_an_error(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"


@pytest.mark.parametrize("send", [
    lambda c: c.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D"),
    lambda c: c.post("/sparql", data={"query": ["ASK {}", "ASK {}"]}),
    lambda c: c.post("/sparql?query=ASK%7B%7D", data=b"ASK {}", content_type="application/sparql-query"),
    lambda c: c.post("/sparql?query=ASK%7B%7D", data={"query": "ASK {}"}),
], ids=["two-in-url", "two-in-form", "url-and-body", "url-and-form"])
def test_two_queries_are_refused(client, send):
    response = send(client)
    assert response.status_code == 400
    assert b"quer" in response.data


@pytest.mark.parametrize("send", [
    lambda c: c.post("/sparql", data={"default-graph-uri": GRAPH}),
    lambda c: c.get("/sparql", query_string={"named-graph-uri": GRAPH}),
    lambda c: c.get("/sparql", query_string={"query": ""}),
    lambda c: c.post("/sparql", data=b"  ", content_type="application/sparql-query"),
], ids=["form-without-query", "dataset-without-query", "empty-query", "empty-body"])
def test_zero_queries_are_refused(client, send):
    assert send(client).status_code == 400


def test_malformed_query_says_what_and_where(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?s WHERE {\n  ?s ?p \n}"},
                          headers={"Accept": "application/json"})
    assert response.status_code == 400
    error = json.loads(response.data)["error"]
    assert re.match(r"SPARQL syntax error at 3:\d+: expected", error), error


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", "multipart/form-data; boundary=x", ""])
def test_other_request_media_types_are_415(client, content_type):
    response = client.post("/sparql", data=b"ASK {}", content_type=content_type or None)
    assert response.status_code == 415
    assert b"application/sparql-query" in response.data and b"application/x-www-form-urlencoded" in response.data


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_wrong_methods_are_405_with_allow(client, method):
    response = getattr(client, method)("/sparql", data=b"ASK {}")
    assert response.status_code == 405
    assert {m.strip() for m in response.headers["Allow"].split(",")} >= {"GET", "POST"}


def test_head_is_answered_without_body(client):
    response = client.head("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 200 and response.data == b""


@pytest.mark.parametrize("send", [
    lambda c: c.get("/sparql", query_string={"update": "CLEAR ALL"}),
    lambda c: c.post("/sparql", data={"update": "CLEAR ALL"}),
    lambda c: c.post("/sparql", data=b"CLEAR ALL", content_type="application/sparql-update"),
    lambda c: c.get("/sparql", query_string={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
    lambda c: c.post("/sparql", data=b"PREFIX ck: <urn:x>\nDELETE WHERE { ?s ?p ?o }",
                     content_type="application/sparql-query"),
    lambda c: c.post("/update", data={"update": "CLEAR ALL"}),
], ids=["update-param", "update-form", "update-body", "update-as-query", "delete-as-query",
        "no-update-endpoint"])
def test_updates_are_refused_and_change_nothing(client, send):
    before = deals_of(client.get("/sparql", query_string={"query": DEALS}))
    response = send(client)
    assert response.status_code in (403, 404)
    if response.status_code == 403:
        assert b"read-only" in response.data
    assert deals_of(client.get("/sparql", query_string={"query": DEALS})) == before


def test_default_graph_uri_restricts_the_default_graph(client):
    count = CK + "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def number(**params):
        response = client.get("/sparql", query_string={"query": count, **params})
        return int(ox.parse_query_results(response.data, ox.QueryResultsFormat.JSON).__next__()["n"].value)

    everything = number()
    graph_only = number(**{"default-graph-uri": GRAPH})
    nothing = number(**{"default-graph-uri": "https://example.org/no-such-graph"})
    assert everything > graph_only > 0 and nothing == 0


def test_named_graph_uri_sets_the_named_graphs_and_an_empty_default_graph(client):
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    response = client.get("/sparql", query_string={"query": query, "named-graph-uri": GRAPH})
    rows = list(ox.parse_query_results(response.data, ox.QueryResultsFormat.JSON))
    assert [r["g"].value for r in rows] == [GRAPH]
    response = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }", "named-graph-uri": GRAPH})
    assert json.loads(response.data)["boolean"] is False
    response = client.get("/sparql", query_string={
        "query": query, "named-graph-uri": "https://example.org/other"})
    assert list(ox.parse_query_results(response.data, ox.QueryResultsFormat.JSON)) == []


def test_from_in_the_query_is_honoured(client):
    count = "SELECT (COUNT(*) AS ?n) FROM <%s> WHERE { ?s ?p ?o }"
    by_graph = client.get("/sparql", query_string={"query": count % GRAPH})
    by_nothing = client.get("/sparql", query_string={"query": count % "https://example.org/none"})
    assert json.loads(by_graph.data)["results"]["bindings"][0]["n"]["value"] != "0"
    assert json.loads(by_nothing.data)["results"]["bindings"][0]["n"]["value"] == "0"


def test_graph_uri_parameters_must_be_iris(client):
    response = client.get("/sparql", query_string={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert response.status_code == 400


def test_a_parameter_in_both_url_and_form_is_refused(client):
    response = client.post(f"/sparql?default-graph-uri={GRAPH}", data={"query": "ASK {}",
                                                                       "default-graph-uri": GRAPH})
    assert response.status_code == 400 and b"both in the URL and in the body" in response.data
