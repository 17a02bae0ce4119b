"""End to end over an external store: `chipkg push` (done by the `external_stores`
fixture) then the real `chipkg serve --backend URL` process, queried by SPARQLWrapper
and plain HTTP, on a real Oxigraph server and a real Virtuoso."""

import json

import pytest
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from conftest import backends
from endpoint_helpers import CONSTRUCT_DEALS, DEALS, GRAPH
from process_helpers import Serve
from test_e2e import get

pytestmark = pytest.mark.e2e
REMOTE = [b for b in backends() if b != "embedded"]


@pytest.fixture(scope="module", params=REMOTE)
def served(request, external_stores, tmp_path_factory):
    store = external_stores(request.param)
    log = tmp_path_factory.mktemp("serve-backend") / "serve.log"
    with Serve(["--backend", store.query_url, "--workers", "1", "--timeout", "10"], log=log,
               ready_seconds=60) as server:
        yield {"port": server.port, "url": f"http://127.0.0.1:{server.port}/sparql", "log": log,
               "kind": request.param}


def test_serve_backend_answers_sparqlwrapper_like_the_embedded_server(served, shipped_counts):
    sparql = SPARQLWrapper(served["url"])
    sparql.setQuery(DEALS)
    sparql.setReturnFormat(JSON)
    sparql.setMethod(POST)
    response = sparql.query()
    assert response.response.headers["Chipkg-Truncated"] == "false"
    deals = [b["deal"]["value"] for b in response.convert()["results"]["bindings"]]
    assert len(deals) == 4 and all(d.startswith("https://w3id.org/chipkg/id/deal-") for d in deals)
    sparql = SPARQLWrapper(served["url"])
    sparql.setQuery(CONSTRUCT_DEALS)
    sparql.setReturnFormat(TURTLE)
    graph = Graph().parse(data=sparql.query().convert(), format="turtle")
    assert len(set(graph.subjects(RDF.type, URIRef("https://w3id.org/chipkg/ontology#Deal")))) == 4
    status, headers, body = get(served["port"], "/-/health")
    health = json.loads(body)
    assert health["triples"] == shipped_counts["triples"] and health["named_graphs"] == 1
    status, headers, body = get(served["port"], "/queries/claims-about?org=kg:samsung&format=csv")
    assert status == 200 and b"https://w3id.org/chipkg/id/samsung" in body
    status, headers, body = get(served["port"], "/.well-known/void", {"Accept": "application/n-triples"})
    assert status == 200 and f"<{GRAPH}>".encode() in body
    kind = "virtuoso" if served["kind"] == "virtuoso" else "sparql"
    assert f"in the {kind} store at" in served["log"].read_text()


@pytest.fixture(scope="module")
def shipped_counts(embedded_shipped) -> dict:
    return {"triples": embedded_shipped.triples}
