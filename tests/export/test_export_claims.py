"""Claims as nanopublications and as schema.org ClaimReviews.

Nanopublications are checked with the `nanopub` package's own validity check
(`Nanopub.is_valid`: four non-empty graphs, a head naming them, provenance about
the assertion, publication info about the nanopublication; it runs offline) and,
beyond it, against the guidelines' content rules: the provenance carries the
quote, source and evidence level, and no blank node is left. ClaimReviews are
expanded with pyld and checked term by term against the graph.
"""

import json
from decimal import Decimal
from collections import defaultdict

import pyoxigraph as ox
import pytest
from pyld import jsonld

from chipkg.namespaces import sparql_prologue
from chipkg.store import store_of

NP = "http://www.nanopub.org/nschema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
S = "https://schema.org/"
CK = "https://w3id.org/chipkg/ontology#"


@pytest.fixture(scope="module")
def store(shipped_quads):
    return store_of(shipped_quads)


@pytest.fixture(scope="module")
def claims(store) -> dict[str, dict]:
    rows = store.query(sparql_prologue() + """
        SELECT ?claim ?text ?level ?rank ?confidence ?source ?exact WHERE {
          ?claim a ck:Claim ; schema:text ?text ; ck:evidenceLevel ?level ; ck:confidence ?confidence ;
                 prov:wasDerivedFrom ?source ; ck:hasQuote/oa:hasSelector/oa:exact ?exact .
          ?level ck:rank ?rank }""", use_default_graph_as_union=True)
    return {r["claim"].value: {k: r[k].value for k in ("text", "level", "rank", "confidence", "source", "exact")}
            for r in rows}


@pytest.fixture(scope="module")
def nanopubs(exported) -> dict[str, dict[str, list[ox.Quad]]]:
    """nanopub IRI → {graph role: quads}."""
    quads = list(ox.parse(path=exported[0] / "nanopubs.trig", format=ox.RdfFormat.TRIG))
    by_graph = defaultdict(list)
    for quad in quads:
        by_graph[quad.graph_name].append(quad)
    found = {}
    for quad in quads:
        if quad.predicate.value == RDF_TYPE and quad.object.value == NP + "Nanopublication":
            head = {q.predicate.value: q.object for q in by_graph[quad.graph_name]}
            found[quad.subject.value] = {
                "head": by_graph[quad.graph_name],
                "assertion": by_graph[head[NP + "hasAssertion"]],
                "provenance": by_graph[head[NP + "hasProvenance"]],
                "pubinfo": by_graph[head[NP + "hasPublicationInfo"]],
                "assertion_iri": head[NP + "hasAssertion"]}
    assert len(by_graph) == 4 * len(found)      # every graph belongs to exactly one nanopublication
    return found


def test_one_nanopublication_per_claim(nanopubs, claims):
    asserted = {q.subject.value for np in nanopubs.values() for q in np["assertion"]}
    assert asserted == set(claims) and len(nanopubs) == len(claims)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")    # nanopub builds rdflib ConjunctiveGraphs
def test_the_nanopub_package_finds_each_one_valid(nanopubs):
    from nanopub import Nanopub, NanopubConf
    from rdflib import Dataset, URIRef
    from chipkg.rdfio import _term
    for iri, parts in nanopubs.items():
        dataset = Dataset()
        for role in ("head", "assertion", "provenance", "pubinfo"):
            for q in parts[role]:
                dataset.graph(URIRef(q.graph_name.value)).add((_term(q.subject), _term(q.predicate),
                                                              _term(q.object)))
        publication = Nanopub(rdf=dataset, conf=NanopubConf())
        assert publication.is_valid, iri
        assert str(publication.metadata.np_uri) == iri


def test_provenance_carries_quote_source_and_level(nanopubs, claims):
    for iri, parts in nanopubs.items():
        claim = next(q.subject.value for q in parts["assertion"] if q.predicate.value == RDF_TYPE)
        expected = claims[claim]
        prov = parts["provenance"]
        about_assertion = {q.predicate.value: q.object.value for q in prov if q.subject == parts["assertion_iri"]}
        assert about_assertion["http://www.w3.org/ns/prov#wasDerivedFrom"] == expected["source"]
        values = {(q.predicate.value, q.object.value) for q in prov}
        assert (CK + "evidenceLevel", expected["level"]) in values
        confidences = [Decimal(v) for p, v in values if p == CK + "confidence"]
        assert confidences == [Decimal(expected["confidence"])]
        assert ("http://www.w3.org/ns/oa#exact", expected["exact"]) in values
        assert {q.predicate.value for q in parts["assertion"]} <= {RDF_TYPE, S + "text", S + "about",
                                                                  "http://www.w3.org/2000/01/rdf-schema#label"}
        every = [t for role in ("head", "assertion", "provenance", "pubinfo") for q in parts[role]
                 for t in (q.subject, q.object)]
        assert not any(isinstance(t, ox.BlankNode) for t in every), iri
        assert any(q.subject.value == iri for q in parts["pubinfo"])


def test_claimreviews_expand_to_schema_org_with_the_documented_scale(exported, claims):
    document = json.loads((exported[0] / "claimreviews.jsonld").read_text())
    expanded = jsonld.expand(document, {"documentLoader": _no_remote})
    reviews = [n for n in expanded if n.get("@type") == [S + "ClaimReview"]]
    assert len(reviews) == len(claims) == len(expanded)
    for review in reviews:
        item = review[S + "itemReviewed"][0]
        assert item["@type"] == [S + "Claim"]
        expected = claims[item["@id"]]
        assert review[S + "claimReviewed"] == [{"@value": expected["text"]}]
        assert item[S + "appearance"][0]["@id"] == expected["source"]
        rating = review[S + "reviewRating"][0]
        assert rating["@type"] == [S + "Rating"]
        assert rating[S + "ratingValue"] == [{"@value": int(expected["rank"])}]
        assert rating[S + "worstRating"] == [{"@value": 1}] and rating[S + "bestRating"] == [{"@value": 5}]


def _no_remote(url, options=None):
    raise AssertionError(f"the ClaimReview JSON-LD must not need a remote context ({url})")
