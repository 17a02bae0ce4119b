"""Each shape: the minimal fixture passes, and each broken copy fails for its stated reason.

`tests/shapes/invalid/*.ru` are SPARQL updates applied to tests/fixtures/minimal.ttl;
their header says which check must fire on which node (`# expect: CHECK FOCUS`).
"""

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from chipkg.rdfio import read_quads
from chipkg.validate.run import validate_quads

CASES = sorted((Path(__file__).parent / "shapes" / "invalid").glob("*.ru"))


def test_there_are_cases_for_every_shape(layout):
    """The case folder is read: a wrong glob must not pass as zero cases."""
    assert len(CASES) >= 20
    expected_checks = {re.search(r"# expect: (\S+)", c.read_text()).group(1) for c in CASES}
    shapes = ox.Store()
    shapes.extend(read_quads(layout.shapes_files))
    named = {str(r["s"].value).split("#")[1] for r in shapes.query(
        "SELECT ?s WHERE { ?s a ?t FILTER(?t IN (<http://www.w3.org/ns/shacl#NodeShape>,"
        " <http://www.w3.org/ns/shacl#PropertyShape>)) FILTER(isIRI(?s)) }")}
    helper_shapes = {"TextQuoteSelectorShape", "TextPositionSelectorShape", "DealShape", "ClaimShape",
                     "SourceDocumentShape", "QuoteShape", "PersonMoveShape", "EvidenceLevelShape", "TermShape",
                     "moveOrganization", "sourceReliability", "levelRank", "levelMaxConfidence",
                     "termLabel", "claimText", "AttestationShape", "ClaimDerivationShape"}
    untested = named - {c.split(":")[1] for c in expected_checks} - helper_shapes
    assert not untested, f"shapes without an invalid case: {sorted(untested)}"


def _validate(layout, quads, sources):
    return validate_quads(quads, layout.shapes_files, sources)


def test_minimal_fixture_conforms(layout, minimal_graph, fixture_sources):
    outcome = _validate(layout, read_quads(layout.ontology_files + [minimal_graph]), fixture_sources)
    assert outcome.conforms, [str(p) for p in outcome.problems]
    assert outcome.problems == []
    assert outcome.counts["claims"] == 2 and outcome.counts["quotes_verified"] == 2


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_broken_fixture_fails_for_its_reason(layout, minimal_graph, fixture_sources, case):
    header = case.read_text(encoding="utf-8")
    check, focus = re.search(r"# expect: (\S+) (\S+)", header).groups()
    focus = re.sub(r"^ex:(.*)$", r"<https://example.org/test/\1>", focus)
    severity = (re.search(r"# severity: (\w+)", header) or [None, "Violation"])[1]
    store = ox.Store()
    store.extend(read_quads(layout.ontology_files + [minimal_graph]))
    store.update(header)
    outcome = _validate(layout, list(store), fixture_sources)
    hits = [p for p in outcome.problems if p.check == check and p.focus == focus]
    assert hits, f"expected {check} on {focus}; got {[str(p) for p in outcome.problems]}"
    assert {p.severity for p in hits} == {severity}
    assert outcome.conforms == (severity == "Warning")
    assert all(p.message for p in hits)
