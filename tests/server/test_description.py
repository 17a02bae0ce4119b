"""The service description (GET /sparql without a query) and the VoID description."""

import pyoxigraph as ox
import pytest

from chipkg.formats import FORMATS, formats_of
from endpoint_helpers import GRAPH

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"


def graph_of(response, fmt=None) -> ox.Store:
    assert response.status_code == 200, response.data
    fmt = fmt or formats_of("graph")[0]
    store = ox.Store()
    store.extend(ox.parse(response.data, format=fmt.rdf, base_iri="http://localhost/"))
    return store


def ask(store: ox.Store, where: str) -> bool:
    return bool(store.query(f"PREFIX sd: <{SD}> PREFIX void: <{VOID}> ASK {{ {where} }}",
                            use_default_graph_as_union=True))


def values(store: ox.Store, where: str) -> list[str]:
    return sorted(row["x"].value for row in store.query(
        f"PREFIX sd: <{SD}> PREFIX void: <{VOID}> SELECT ?x WHERE {{ {where} }}",
        use_default_graph_as_union=True))


def test_service_description_is_turtle_by_default(client):
    response = client.get("/sparql")
    assert response.mimetype == "text/turtle"
    store = graph_of(response)
    assert ask(store, "<http://localhost/sparql> a sd:Service ; sd:endpoint <http://localhost/sparql> ; "
                      "sd:supportedLanguage sd:SPARQL11Query")


@pytest.mark.parametrize("fmt", formats_of("graph"), ids=lambda f: f.name)
def test_service_description_in_every_rdf_format(client, fmt):
    response = client.get("/sparql", headers={"Accept": fmt.media_type})
    assert response.headers["Content-Type"] == fmt.content_type
    assert ask(graph_of(response, fmt), "?s a sd:Service")


def test_service_description_lists_every_format_of_the_table(client):
    store = graph_of(client.get("/sparql"))
    assert values(store, "?s sd:resultFormat ?x") == sorted(f.service_description_iri for f in FORMATS)


def test_service_description_tells_the_dataset_and_links_to_void(client, app):
    store = graph_of(client.get("/sparql", query_string={"format": "turtle"}))
    dataset = app.extensions["chipkg"].served.dataset
    assert ask(store, "?s sd:feature sd:UnionDefaultGraph")
    assert not ask(store, "?s sd:feature sd:BasicFederatedQuery")
    assert values(store, "?s sd:defaultDataset/sd:namedGraph/sd:name ?x") == [GRAPH]
    assert values(store, "?s sd:defaultDataset/sd:defaultGraph/void:triples ?x") == [str(dataset.triples)]
    assert ask(store, "?s sd:defaultDataset ?d ; <http://www.w3.org/2000/01/rdf-schema#seeAlso> "
                      "<http://localhost/.well-known/void>")


def test_browsers_get_the_query_page_on_the_bare_endpoint(client):
    response = client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/query")
    assert "Accept" in response.vary
    editor = client.get(response.headers["Location"], headers={"Accept": "text/html"})
    assert editor.mimetype == "text/html" and b'<form id="query-form"' in editor.data


def test_service_description_unacceptable_is_406(client):
    response = client.get("/sparql", headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 406 and b"text/turtle" in response.data


@pytest.mark.parametrize("path", ["/.well-known/void", "/void"])
def test_void_counts_match_the_store(client, app, path):
    store = graph_of(client.get(path))
    served = app.extensions["chipkg"].served.dataset.store
    data = "<http://localhost/.well-known/void#dataset>"

    def number(query: str) -> str:
        return next(served.query(query, use_default_graph_as_union=True))["n"].value

    assert values(store, f"{data} void:triples ?x") == [number("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")]
    assert values(store, f"{data} void:distinctSubjects ?x") == [
        number("SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }")]
    assert values(store, f"{data} void:properties ?x") == [
        number("SELECT (COUNT(DISTINCT ?p) AS ?n) { ?s ?p ?o }")]
    assert values(store, f"{data} void:classes ?x") == [
        number("SELECT (COUNT(DISTINCT ?c) AS ?n) { ?s a ?c }")]
    assert int(values(store, f"{data} void:entities ?x")[0]) > 100
    assert values(store, f"{data} void:subset ?x") == [GRAPH]
    graph_triples = number(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
    assert values(store, f"<{GRAPH}> void:triples ?x") == [graph_triples]
    claims = number("SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s a <https://w3id.org/chipkg/ontology#Claim> }")
    assert values(store, f"{data} void:classPartition [ void:class <https://w3id.org/chipkg/ontology#Claim> ; "
                         "void:entities ?x ]") == [claims]


def test_void_has_license_vocabularies_evidence_scheme_and_endpoint(client):
    store = graph_of(client.get("/.well-known/void"))
    data = "<http://localhost/.well-known/void#dataset>"
    assert values(store, f"{data} <http://purl.org/dc/terms/license> ?x") == [
        "https://creativecommons.org/licenses/by/4.0/"]
    vocabularies = values(store, f"{data} void:vocabulary ?x")
    assert {"https://w3id.org/chipkg/ontology#", "https://w3id.org/chipkg/evidence#"} <= set(vocabularies)
    assert ask(store, f"{data} <http://www.w3.org/2000/01/rdf-schema#seeAlso> "
                      "<https://w3id.org/chipkg/evidence#scheme>")
    assert values(store, f"{data} void:sparqlEndpoint ?x") == ["http://localhost/sparql"]


@pytest.mark.parametrize("fmt", formats_of("graph"), ids=lambda f: f.name)
def test_void_in_every_rdf_format(client, fmt):
    response = client.get("/.well-known/void", query_string={"format": fmt.name})
    assert ask(graph_of(response, fmt), "?d a void:Dataset ; void:triples ?n")
