"""Protocol exactness (issue 10, 1a-c): a base IRI for every query, UTF-8 only, nothing
silently replaced. Each case runs on every way of sending a query."""

import pytest

from endpoint_helpers import CK

FORM = "application/x-www-form-urlencoded"


def test_relative_iris_resolve_against_the_endpoint_url(client):
    response = client.get("/sparql", query_string={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                          headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.data.startswith(b"<http://localhost/s> <http://localhost/p> ")


def test_base_in_the_query_wins(client):
    query = "BASE <http://example.org/a/> SELECT ?x WHERE { BIND(<b> AS ?x) }"
    response = client.get("/sparql", query_string={"query": query},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.json["results"]["bindings"][0]["x"]["value"] == "http://example.org/a/b"


def test_configured_base_iri(shipped):
    from chipkg.server import create_app
    client = create_app({"QUERY_BASE_IRI": "https://w3id.org/chipkg/sparql"}, shipped).test_client()
    response = client.get("/sparql", query_string={"query": "SELECT ?x WHERE { BIND(<id/x> AS ?x) }"},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.json["results"]["bindings"][0]["x"]["value"] == "https://w3id.org/chipkg/id/x"


@pytest.mark.parametrize("content_type", ["application/sparql-query; charset=UTF-16",
                                          "application/sparql-query; charset=utf-16le",
                                          "application/sparql-query; charset=iso-8859-1"])
def test_body_declared_in_another_charset_is_refused(client, content_type):
    response = client.post("/sparql", data="ASK {}".encode("utf-16"), content_type=content_type,
                           headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "UTF-8 only" in response.json["error"] and "charset" in response.json["error"]


@pytest.mark.parametrize("body, problem", [
    ("ASK {}".encode("utf-16-le"), "NUL"),
    ("ASK {}".encode("utf-16"), "not valid UTF-8"),           # starts with a BOM: ff fe
    (b'ASK { FILTER("caf\xe9" = "x") }', "byte 0xe9 at offset 17"),
])
def test_body_that_is_not_utf8_is_refused_naming_the_problem(client, body, problem):
    response = client.post("/sparql", data=body, content_type="application/sparql-query",
                           headers={"Accept": "application/json"})
    assert response.status_code == 400 and problem in response.json["error"]


@pytest.mark.parametrize("send", [
    lambda c, q: c.get("/sparql?query=" + q, headers={"Accept": "application/json"}),
    lambda c, q: c.post("/sparql", data="query=" + q, content_type=FORM,
                        headers={"Accept": "application/json"}),
    lambda c, q: c.get("/queries/deals-by-evidence?x=" + q, headers={"Accept": "application/json"}),
], ids=["GET", "form POST", "stored query parameter"])
@pytest.mark.parametrize("encoded, bad", [
    ("ASK%7B%20FILTER(%22caf%E9%22)%7D", "e9"),          # Latin-1 é
    ("ASK%7B%7D%C3", "c3"),                             # a truncated UTF-8 sequence
    ("ASK%7B%7D%ED%A0%80", "ed"),                       # an encoded surrogate
])
def test_percent_encoded_bytes_that_are_not_utf8_are_refused(client, send, encoded, bad):
    response = send(client, encoded)
    assert response.status_code == 400
    assert "not valid UTF-8" in response.json["error"] and bad in response.json["error"]


def test_valid_percent_encoded_utf8_still_works(client):
    query = CK + 'SELECT ?x WHERE { BIND("Jalapeño" AS ?x) }'
    for response in (client.get("/sparql", query_string={"query": query},
                                headers={"Accept": "application/sparql-results+json"}),
                     client.post("/sparql", data={"query": query},
                                 headers={"Accept": "application/sparql-results+json"})):
        assert response.json["results"]["bindings"][0]["x"]["value"] == "Jalapeño"


def test_form_body_declared_in_another_charset_is_refused(client):
    response = client.post("/sparql", data="query=ASK%7B%7D",
                           content_type=FORM + "; charset=iso-8859-1",
                           headers={"Accept": "application/json"})
    assert response.status_code == 400 and "iso-8859-1" in response.json["error"]
