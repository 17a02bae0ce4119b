"""The ontology's header and evidence-level scheme."""

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from chipkg.namespaces import CK, EV
from chipkg.rdfio import read_quads, to_rdflib

ONTOLOGY = URIRef("https://w3id.org/chipkg/ontology")


@pytest.fixture(scope="module")
def ontology(layout) -> Graph:
    return to_rdflib(read_quads(layout.ontology_files))


def test_header_has_version_license_and_modification_date(ontology):
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    for predicate in (OWL.versionIRI, DCTERMS.license, DCTERMS.modified, OWL.versionInfo):
        assert ontology.value(ONTOLOGY, predicate) is not None, predicate
    version = str(ontology.value(ONTOLOGY, OWL.versionInfo))
    assert str(ontology.value(ONTOLOGY, OWL.versionIRI)).endswith(version)


def test_evidence_levels_are_ordered_with_bands(ontology):
    levels = list(ontology.subjects(SKOS.inScheme, EV.scheme))
    assert len(levels) >= 5
    ranks = {int(ontology.value(level, CK.rank)): level for level in levels}
    assert len(ranks) == len(levels), "ranks must be distinct"
    ordered = [ranks[r] for r in sorted(ranks, reverse=True)]
    assert ordered[0] == EV.OfficiallyConfirmed and ordered[-1] == EV.Denied
    member_list = ontology.value(EV.ordered, SKOS.memberList)
    assert list(ontology.items(member_list)) == ordered
    for level in levels:
        low, high = (float(ontology.value(level, CK[p])) for p in ("minConfidence", "maxConfidence"))
        assert 0 <= low < high <= 1
        assert ontology.value(level, SKOS.definition) is not None
    # a stronger level never allows a lower ceiling than a weaker one
    ceilings = [float(ontology.value(level, CK.maxConfidence)) for level in ordered]
    assert ceilings == sorted(ceilings, reverse=True)


def test_source_reliability_is_a_separate_scale(ontology):
    grades = set(ontology.subjects(SKOS.inScheme, CK.reliabilityScale))
    assert len(grades) == 6
    assert not grades & set(ontology.subjects(SKOS.inScheme, EV.scheme))
