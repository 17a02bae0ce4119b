"""Dereferenceable IRIs: /id/<local> and /graph/<name> answer HTML or RDF by negotiation."""

import json

import pyoxigraph as ox
import pytest
import rdflib

from chipkg.server import create_app

from linked_helpers import dataset_from, hostile_trig

SAMSUNG = rdflib.URIRef("https://w3id.org/chipkg/id/samsung")
RDFS_LABEL = rdflib.RDFS.label
CK = rdflib.Namespace("https://w3id.org/chipkg/ontology#")
SCHEMA = rdflib.Namespace("https://schema.org/")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
RDF_FORMATS = [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
               ("application/n-triples", "nt"), ("application/rdf+xml", "xml")]
SYNTAXES = {"turtle": ox.RdfFormat.TURTLE, "json-ld": ox.RdfFormat.JSON_LD,
            "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML}


def parsed(response, syntax: str) -> rdflib.Graph:
    """The answer parsed in its own syntax, as an rdflib graph."""
    triples = ox.parse(response.data, format=SYNTAXES[syntax])
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return rdflib.Graph().parse(data=text, format="nt")


@pytest.mark.parametrize("accept", [None, "*/*", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                                    "text/html"])
def test_browsers_and_crawlers_get_the_page_directly(client, accept):
    response = client.get("/id/samsung", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Location" not in response.headers
    assert "Accept" in response.headers["Vary"]
    assert "<h1 id=\"entity-title\">Samsung</h1>" in response.data.decode()


@pytest.mark.parametrize("media_type,syntax", RDF_FORMATS)
def test_rdf_clients_get_the_description_in_their_format(client, media_type, syntax):
    response = client.get("/id/samsung", headers={"Accept": media_type})
    assert response.status_code == 200 and response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]
    graph = parsed(response, syntax)
    assert (SAMSUNG, RDFS_LABEL, rdflib.Literal("Samsung", lang="en")) in graph
    assert (SAMSUNG, rdflib.RDF.type, CK.Company) in graph
    # the claims about it come along with their level and confidence
    claim = rdflib.URIRef("https://w3id.org/chipkg/id/claim-anthropic-contacted-samsung")
    assert (claim, SCHEMA.about, SAMSUNG) in graph
    assert (claim, CK.evidenceLevel, rdflib.URIRef("https://w3id.org/chipkg/evidence#Unsupported")) in graph


def test_accept_aliases_and_q_values_are_honoured(client):
    assert client.get("/id/samsung", headers={"Accept": "application/x-turtle"}).mimetype == "text/turtle"
    response = client.get("/id/samsung", headers={"Accept": "text/html;q=0.5, text/turtle"})
    assert response.mimetype == "text/turtle"


@pytest.mark.parametrize("url,media_type", [
    ("/id/samsung?format=turtle", "text/turtle"), ("/id/samsung?format=jsonld", "application/ld+json"),
    ("/id/samsung?format=ntriples", "application/n-triples"), ("/id/samsung?format=rdfxml", "application/rdf+xml"),
    ("/id/samsung?format=text/turtle", "text/turtle"), ("/id/samsung.ttl", "text/turtle"),
    ("/id/samsung.jsonld", "application/ld+json"), ("/id/samsung.nt", "application/n-triples"),
    ("/id/samsung.rdf", "application/rdf+xml"), ("/id/samsung.json", "application/json"),
    ("/id/samsung.html", "text/html"), ("/id/samsung?format=json", "application/json"),
    ("/id/samsung?format=html", "text/html")])
def test_format_parameter_and_suffix_override_accept(client, url, media_type):
    response = client.get(url, headers={"Accept": "text/html" if media_type != "text/html" else "text/turtle"})
    assert response.status_code == 200 and response.mimetype == media_type


def test_rdf_answers_say_where_the_format_lives_and_link_the_others(client):
    response = client.get("/id/samsung", headers={"Accept": "text/turtle"})
    assert response.headers["Content-Location"] == "/id/samsung.ttl"
    assert '</id/samsung.jsonld>; rel="alternate"; type="application/ld+json"' in response.headers["Link"]
    assert response.headers["Chipkg-Truncated"] == "false"


def test_unknown_iri_is_404_in_the_one_error_shape(client):
    text = client.get("/id/no-such-thing")
    assert text.status_code == 404 and text.data.decode().startswith("404 Not Found: ")
    assert "https://w3id.org/chipkg/id/no-such-thing" in text.data.decode()
    as_json = client.get("/id/no-such-thing", headers={"Accept": "application/json"})
    assert as_json.status_code == 404
    assert json.loads(as_json.data) == {"ok": False, "status": 404, "error": json.loads(as_json.data)["error"]}
    assert client.get("/id/no-such-thing.ttl").status_code == 404
    assert client.get("/graph/no-such-graph").status_code == 404


def test_unmatched_accept_is_406_listing_what_exists(client):
    response = client.get("/id/samsung", headers={"Accept": "image/png"})
    assert response.status_code == 406
    message = response.data.decode()
    for media_type in ("text/html", "text/turtle", "application/ld+json", "application/n-triples",
                       "application/rdf+xml", "application/json"):
        assert media_type in message
    assert client.get("/id/samsung?format=png").status_code == 406


def test_unknown_parameters_are_harmless(client):
    response = client.get("/id/samsung?utm_source=x&ref=y")
    assert response.status_code == 200 and b"Samsung" in response.data


def test_descriptions_close_blank_nodes_and_carry_quotes(client):
    deal = client.get("/id/deal-anthropic-amazon-partnership-expansion.ttl")
    graph = parsed(deal, "turtle")
    amounts = list(graph.objects(rdflib.URIRef("https://w3id.org/chipkg/id/deal-anthropic-amazon-partnership-expansion"),
                                 CK.dealValue))
    assert len(amounts) == 1 and (amounts[0], SCHEMA.minValue, None) in graph
    claim = parsed(client.get("/id/claim-anthropic-contacted-samsung.ttl"), "turtle")
    exact = [str(o) for o in claim.objects(None, OA.exact)]
    assert exact == ["Claims that Anthropic has contacted Samsung regarding manufacturing collaboration "
                     "are not well supported by publicly verifiable information."]


def test_named_graphs_resolve_to_their_content(client):
    name = "blockbeats-anthropic-ai-chips-samsung"
    page = client.get(f"/graph/{name}")
    assert page.status_code == 200 and page.mimetype == "text/html" and b"Claims in this graph" in page.data
    turtle = client.get(f"/graph/{name}", headers={"Accept": "text/turtle"})
    graph = parsed(turtle, "turtle")
    assert (SAMSUNG, RDFS_LABEL, rdflib.Literal("Samsung", lang="en")) in graph
    assert len(graph) > 1000
    data = json.loads(client.get(f"/graph/{name}?format=json").data)
    assert sum(level["claims"] for level in data["levels"]) == 55


def test_public_base_maps_another_domain_onto_this_server(tmp_path):
    base = "https://chips.example.org/"
    app = create_app({"PUBLIC_BASE": base}, dataset_from(hostile_trig(base), tmp_path))
    client = app.test_client()
    graph = parsed(client.get("/id/evil", headers={"Accept": "text/turtle"}), "turtle")
    assert (rdflib.URIRef(base + "id/evil"), rdflib.RDF.type, CK.Company) in graph
    page = client.get("/id/deal").data.decode()
    assert 'href="/id/evil"' in page           # links stay on this server
    assert client.get("/graph/evil").status_code == 200
    assert client.get("/id/samsung").status_code == 404


@pytest.mark.parametrize("path", ["/id/a%20b", "/id/%3Cscript%3Ealert(1)%3C/script%3E", "/id/x%3E%20%7D",
                                  "/graph/a%22b", "/id/samsung/extra"])
def test_paths_that_name_no_valid_iri_are_404_not_errors(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 404 and response.mimetype == "text/plain"


def test_head_answers_like_get(client):
    response = client.head("/id/samsung", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle" and response.data == b""
