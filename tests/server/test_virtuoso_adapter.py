"""Virtuoso's deviations from the protocols, each shown on the real store and its workaround
in server/backends/virtuoso.py tested (the answers it gives are compared with the embedded
store's in test_backends.py)."""

import json
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from chipkg.server import create_app
from chipkg.server.backends import http, remote_dataset
from chipkg.server.backends.virtuoso import _BlankNodes
from chipkg.server.config import DEFAULTS
from conftest import backends

REMOTE = [b for b in backends() if b != "embedded"]


def virtuoso(external_stores):
    if "virtuoso" not in REMOTE:
        pytest.fail("CHIPKG_TEST_BACKENDS leaves Virtuoso out; these tests need it")
    return external_stores("virtuoso")


def raw(url: str, query: str, accept: str, **params) -> bytes:
    """Virtuoso's own answer, read whole (and its connection closed)."""
    body = urlencode([("query", query), *params.items()]).encode()
    reply = http.request("POST", url, body=body, timeout=30, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
    try:
        return reply.body.read()
    finally:
        reply.body.close()


def test_virtuoso_blank_nodes_are_read_as_blank_nodes(external_stores):
    store = virtuoso(external_stores)
    query = "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o FILTER(isBlank(?s)) } } LIMIT 3"
    assert b"<bnode>nodeID://" in raw(store.query_url, query, "application/sparql-results+xml")       # the deviation, as Virtuoso writes it
    rows = list(remote_dataset({**DEFAULTS, "BACKEND_URL": store.query_url}).store.query(
        query, use_default_graph_as_union=True))
    assert len(rows) == 3 and all(isinstance(r["s"], ox.BlankNode) for r in rows)


def test_blank_node_marks_split_across_reads_are_fixed():
    import io
    data = b"<x><bnode>nodeID://b1</bnode>" * 50
    for size in (1, 3, 7, 16, 100):
        reader = _BlankNodes(io.BytesIO(data))
        out = b""
        while chunk := reader.read(size):
            out += chunk
        assert out == b"<x><bnode>b1</bnode>" * 50, size


def test_virtuoso_default_graph_is_everything_unless_the_dataset_is_sent(external_stores, embedded_shipped):
    store = virtuoso(external_stores)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    answer = raw(store.query_url, count, "application/sparql-results+json")
    everything = int(json.loads(answer)["results"]["bindings"][0]["n"]["value"])
    assert everything > embedded_shipped.triples         # Virtuoso's system graphs are in it
    served = remote_dataset({**DEFAULTS, "BACKEND_URL": store.query_url}).store
    rows = list(served.query(count, use_default_graph_as_union=True))
    assert int(rows[0]["n"].value) == embedded_shipped.triples


def test_virtuoso_echoes_each_default_graph_as_a_header_and_many_graphs_still_read(external_stores,
                                                                                  embedded_shipped):
    store = virtuoso(external_stores)
    served = remote_dataset({**DEFAULTS, "BACKEND_URL": store.query_url}).store
    extra = [f"urn:chipkg:test:empty-{n}" for n in range(150)]     # more than http.client's 100
    many = served.with_dataset(served.default_graph, (*served.graphs, *extra))
    reply = http.request("POST", store.query_url, timeout=30, body=urlencode(
        [("query", "ASK {}"), *(("default-graph-uri", g) for g in extra)]).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    reply.body.close()
    assert len(reply.headers.get_all("X-SPARQL-default-graph")) == 150       # the deviation
    rows = list(many.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", use_default_graph_as_union=True))
    assert int(rows[0]["n"].value) == embedded_shipped.triples


def test_virtuoso_long_queries_go_as_form_posts(external_stores):
    store = virtuoso(external_stores)
    served = remote_dataset({**DEFAULTS, "BACKEND_URL": store.query_url}).store
    text = "chip " * 4000                                    # 20 KB of query text
    rows = list(served.query(f'SELECT (STRLEN("{text}") AS ?n) WHERE {{}}'))
    assert int(rows[0]["n"].value) == len(text)


def test_virtuoso_service_refusal_is_a_failed_service_call(external_stores):
    store = virtuoso(external_stores)
    client = create_app({"SERVICE_ALLOW_LIST": ["http://127.0.0.1:9/sparql"]},
                        remote_dataset({**DEFAULTS, "BACKEND_URL": store.query_url})).test_client()
    response = client.get("/sparql", query_string={
        "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    assert response.status_code == 502 and b"SERVICE call failed" in response.data
    assert b"anonymous SPARQL user" in response.data


def test_virtuoso_writes_need_digest_credentials(external_stores):
    store = virtuoso(external_stores)
    url = f"{store.gsp_url}?graph=urn:chipkg:test:digest"
    replies = [http.request("DELETE", url, timeout=30, credentials=given) for given in (
        None, http.Credentials("dba", "not-the-password"), http.Credentials(store.user, store.password))]
    for reply in replies:
        reply.body.close()
    refused, wrong, right = replies
    assert refused.status == 401 and refused.headers["WWW-Authenticate"].startswith("Digest")
    assert wrong.status == 401
    assert right.status in (200, 204, 404)


def test_a_large_authenticated_put_is_not_reset(external_stores):
    """Virtuoso answers 401 and closes the connection while a large body is still being sent;
    `http.request` asks for the challenge first (a bodiless HEAD), then sends the body once."""
    store = virtuoso(external_stores)
    triples = 40_000                                    # about 3.4 MB: reset without the HEAD
    body = "".join(f'<urn:chipkg:test:s{i}> <urn:chipkg:test:p> "padding to look like data, {i}" .\n'
                   for i in range(triples)).encode()
    url = f"{store.gsp_url}?graph=urn:chipkg:test:large"
    credentials = http.Credentials(store.user, store.password)
    reply = http.request("PUT", url, body=body, timeout=120, credentials=credentials,
                         headers={"Content-Type": "application/n-triples"})
    reply.body.close()
    assert reply.status in (200, 201, 204)
    count = raw(store.query_url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:chipkg:test:large> { ?s ?p ?o } }",
                "application/sparql-results+json")
    assert int(json.loads(count)["results"]["bindings"][0]["n"]["value"]) == triples
    http.request("DELETE", url, timeout=30, credentials=credentials).body.close()
