"""Every result format of the table, chosen by Accept (q-values, wildcards) or format=,
checked by parsing the body back with pyoxigraph."""

import csv
import io

import pyoxigraph as ox
import pytest

from chipkg.formats import FORMATS, formats_of
from endpoint_helpers import CK, CONSTRUCT_DEALS, DEALS

RESULTS = formats_of("results")
GRAPHS = formats_of("graph")


def solutions(fmt, body: bytes) -> list[str]:
    if fmt.name == "csv":      # CSV loses term types: read it as text
        rows = list(csv.reader(io.StringIO(body.decode())))
        assert rows[0] == ["deal"]
        return [r[0] for r in rows[1:]]
    return [s["deal"].value for s in ox.parse_query_results(body, fmt.results)]


@pytest.mark.parametrize("fmt", RESULTS, ids=lambda f: f.name)
def test_select_in_every_results_format_by_accept(client, fmt):
    response = client.get("/sparql", query_string={"query": DEALS}, headers={"Accept": fmt.media_type})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == fmt.content_type
    assert len(solutions(fmt, response.data)) == 4
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("fmt", RESULTS, ids=lambda f: f.name)
def test_select_in_every_results_format_by_format_parameter(client, fmt):
    response = client.post("/sparql", data={"query": DEALS, "format": fmt.name},
                           headers={"Accept": "text/html"})
    assert response.headers["Content-Type"] == fmt.content_type
    assert len(solutions(fmt, response.data)) == 4


@pytest.mark.parametrize("fmt", RESULTS, ids=lambda f: f.name)
def test_ask_in_every_results_format(client, fmt):
    query = CK + "ASK { ?d a ck:Deal }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": fmt.media_type})
    assert response.status_code == 200 and response.mimetype == fmt.media_type
    if fmt.name in ("json", "xml", "tsv"):
        assert bool(ox.parse_query_results(response.data, fmt.results)) is True
    else:
        assert response.data.strip() == b"true"


@pytest.mark.parametrize("fmt", GRAPHS, ids=lambda f: f.name)
@pytest.mark.parametrize("query", [CONSTRUCT_DEALS, CK + "DESCRIBE ?d WHERE { ?d a ck:Deal }"],
                         ids=["construct", "describe"])
def test_construct_and_describe_in_every_rdf_format(client, fmt, query):
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": fmt.media_type})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == fmt.content_type
    quads = list(ox.parse(response.data, format=fmt.rdf))
    deals = {q.subject.value for q in quads if q.object.value.endswith("#Deal")}
    assert len(deals) == 4
    if "CONSTRUCT" in query:
        assert len(quads) == 4 + sum(1 for q in quads if q.predicate.value.endswith("#party"))


def test_every_media_type_of_the_table_is_reachable_by_accept(client):
    for fmt in FORMATS:
        query = DEALS if fmt.kind == "results" else CONSTRUCT_DEALS
        response = client.get("/sparql", query_string={"query": query}, headers={"Accept": fmt.media_type})
        assert response.mimetype == fmt.media_type, fmt.name
        for alias in fmt.aliases:
            aliased = client.get("/sparql", query_string={"query": query}, headers={"Accept": alias})
            assert aliased.mimetype == fmt.media_type, alias


def test_no_accept_and_star_give_the_defaults(client):
    assert client.get("/sparql", query_string={"query": DEALS}).mimetype == "application/sparql-results+json"
    assert client.get("/sparql", query_string={"query": DEALS}, headers={"Accept": "*/*"}).mimetype == \
        "application/sparql-results+json"
    assert client.get("/sparql", query_string={"query": CONSTRUCT_DEALS}).mimetype == "text/turtle"


def test_q_values_and_wildcards(client):
    accept = "application/sparql-results+json;q=0.4, text/*;q=0.9, text/csv;q=0.5"
    assert client.get("/sparql", query_string={"query": DEALS}, headers={"Accept": accept}).mimetype == \
        "text/tab-separated-values"
    accept = "application/*;q=0.3, text/turtle;q=0"
    assert client.get("/sparql", query_string={"query": CONSTRUCT_DEALS},
                      headers={"Accept": accept}).mimetype == "application/n-triples"


def test_sparqlwrapper_style_accept_lists(client):
    accept = "application/sparql-results+json,application/json,text/javascript,application/javascript"
    assert client.get("/sparql", query_string={"query": DEALS}, headers={"Accept": accept}).mimetype == \
        "application/sparql-results+json"
    accept = "application/turtle,text/turtle"
    assert client.get("/sparql", query_string={"query": CONSTRUCT_DEALS},
                      headers={"Accept": accept}).mimetype == "text/turtle"


def test_unacceptable_is_406_naming_what_is_offered(client):
    response = client.get("/sparql", query_string={"query": DEALS}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    for fmt in RESULTS:
        assert fmt.media_type.encode() in response.data
    assert b"text/turtle" not in response.data
    response = client.get("/sparql", query_string={"query": CONSTRUCT_DEALS},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 406
    assert all(f.media_type.encode() in response.data for f in GRAPHS)


def test_format_parameter_accepts_media_types_and_overrides_accept(client):
    response = client.get("/sparql", query_string={"query": DEALS, "format": "text/csv"},
                          headers={"Accept": "application/sparql-results+xml"})
    assert response.mimetype == "text/csv"


def test_format_that_does_not_fit_the_query_falls_back_to_accept(client):
    # SPARQLWrapper sends format=xml for an RDF/XML CONSTRUCT, with Accept: application/rdf+xml
    response = client.get("/sparql", query_string={"query": CONSTRUCT_DEALS, "format": ["xml", "rdf+xml"]},
                          headers={"Accept": "application/rdf+xml"})
    assert response.mimetype == "application/rdf+xml"
    response = client.get("/sparql", query_string={"query": DEALS, "format": "turtle"},
                          headers={"Accept": "text/csv"})
    assert response.mimetype == "text/csv"


def test_html_view_by_accept_and_by_format(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for response in (client.get("/sparql", query_string={"query": DEALS}, headers={"Accept": browser}),
                     client.post("/sparql", data={"query": DEALS, "format": "html"})):
        assert response.status_code == 200 and response.mimetype == "text/html"
        page = response.data.decode()
        assert page.count("<tr>") == 5 and 'href="/id/deal-' in page and "Truncated" not in page
        assert response.headers["Chipkg-Truncated"] == "false"


def test_html_view_of_ask_and_construct(client):
    ask = client.get("/sparql", query_string={"query": "ASK {}", "format": "html"})
    assert b"<strong>true</strong>" in ask.data
    graph = client.get("/sparql", query_string={"query": CONSTRUCT_DEALS, "format": "html"})
    assert graph.mimetype == "text/html" and b"ck:Deal" in graph.data


def test_html_view_escapes_literals(client):
    query = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    response = client.get("/sparql", query_string={"query": query, "format": "html"})
    assert b"<script>alert" not in response.data and b"&lt;script&gt;" in response.data
