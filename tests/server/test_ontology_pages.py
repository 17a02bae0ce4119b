"""/ontology and /evidence: the documentation for browsers, the module's RDF by negotiation."""

import pyoxigraph as ox
import pytest

from chipkg.formats import formats_of

CK = "https://w3id.org/chipkg/ontology#"
EV = "https://w3id.org/chipkg/evidence#"
SUBCLASS = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")


@pytest.mark.parametrize("page", ["ontology", "evidence"])
@pytest.mark.parametrize("accept", [None, "*/*", "text/html,application/xhtml+xml,*/*;q=0.8"])
def test_browsers_and_crawlers_get_the_committed_html(client, layout, page, accept):
    response = client.get(f"/{page}", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Accept" in response.headers["Vary"]
    assert response.data == (layout.root / "docs" / f"{page}.html").read_bytes()


def triples(response, fmt):
    return list(ox.parse(response.data, format=fmt.rdf))


@pytest.mark.parametrize("fmt", formats_of("graph"), ids=lambda f: f.name)
def test_every_rdf_format_by_accept_and_by_name(client, fmt):
    by_accept = client.get("/ontology", headers={"Accept": fmt.media_type})
    assert by_accept.status_code == 200 and by_accept.mimetype == fmt.media_type
    assert "Accept" in by_accept.headers["Vary"]
    by_name = client.get("/ontology", query_string={"format": fmt.name})
    assert by_name.data == by_accept.data
    found = triples(by_accept, fmt)
    assert ox.Triple(ox.NamedNode(CK + "Claim"), SUBCLASS, ox.NamedNode("https://schema.org/Claim")) in [
        ox.Triple(q.subject, q.predicate, q.object) for q in found]


def test_evidence_is_the_evidence_module_only(client):
    response = client.get("/evidence", headers={"Accept": "text/turtle"})
    subjects = {t.subject.value for t in ox.parse(response.data, format=ox.RdfFormat.TURTLE)
                if isinstance(t.subject, ox.NamedNode)}
    assert EV + "Reported" in subjects and CK + "Claim" in subjects     # evidence.ttl defines both
    assert CK + "Chip" not in subjects and CK + "Foundry" not in subjects   # other modules
    whole = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert len(whole.data) > len(response.data)


def test_turtle_is_preferred_when_asked_with_q_values(client):
    response = client.get("/ontology", headers={"Accept": "text/html;q=0.5, text/turtle"})
    assert response.mimetype == "text/turtle"
    assert client.get("/ontology", headers={"Accept": "text/html;q=0.5, text/turtle"},
                      query_string={"format": "html"}).mimetype == "text/html"


def test_unmatched_accept_is_406_listing_what_exists(client):
    response = client.get("/evidence", headers={"Accept": "image/png"})
    assert response.status_code == 406
    text = response.data.decode()
    for media_type in ["text/html"] + [f.media_type for f in formats_of("graph")]:
        assert media_type in text
    assert client.get("/evidence", headers={"Accept": "image/png, application/json"}).get_json()["status"] == 406


def test_head_and_alternate_link(client):
    response = client.head("/ontology")
    assert response.status_code == 200 and response.data == b""
    assert response.headers["Link"] == '</ontology?format=turtle>; rel="alternate"; type="text/turtle"'
