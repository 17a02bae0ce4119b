"""The fast engine reports what pySHACL, the reference, reports.

Compared on every field chipkg shows (severity, check = source shape or
component, focus node, path, value, message), as multisets, on the shipped
graph, on every shape fixture and on a synthetic graph with many kinds of
damage. Where pySHACL contradicts SPARQL 1.1 and SHACL (it compares a string or
an ill-typed literal with a number, as rdflib does), the standard is followed
and the case is pinned here.
"""

import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from chipkg.synth import write_synthetic
from chipkg.validate.run import load_store, validate_store

from .damage import ILL_TYPED, PREFIXES, UPDATES, damage

CASES = sorted((Path(__file__).parent.parent / "shapes" / "invalid").glob("*.ru"))
STRING_CONFIDENCE = "deal-confidence-as-string"


def _both(layout, store):
    return {engine: validate_store(store, layout.shapes_files, None, engine=engine).problems
            for engine in ("shacl", "pyshacl")}


def _key(problem):
    # blank-node labels are each engine's own
    blank = lambda text: text and re.sub(r"_:\S+", "_:b", text)     # noqa: E731
    return (problem.severity, problem.check, blank(problem.focus), problem.path,
            blank(problem.value), problem.message)


def _pyshacl_string_band_rows(problems):
    """pySHACL's band rows for a confidence given as a string: SPARQL 1.1 says type error, no row."""
    return [p for p in problems
            if p.check == "cksh:ConfidenceInBandShape" and p.value and p.value.endswith("^^xsd:string")]


def test_shipped_graph(layout):
    store = load_store(layout.ontology_files + layout.graph_files)
    found = _both(layout, store)
    assert found["shacl"] == found["pyshacl"] == []


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_every_shape_fixture(layout, minimal_graph, case):
    store = load_store(layout.ontology_files + [minimal_graph])
    store.update(case.read_text(encoding="utf-8"))
    found = _both(layout, store)
    reference = Counter(map(_key, found["pyshacl"]))
    if case.stem == STRING_CONFIDENCE:
        wrong = _pyshacl_string_band_rows(found["pyshacl"])
        assert len(wrong) == 1 and "0.95 lies outside the band" in wrong[0].message
        reference -= Counter(map(_key, wrong))
    assert Counter(map(_key, found["shacl"])) == reference


def test_string_confidence_follows_sparql_not_rdflib(layout, minimal_graph):
    """"0.95" (a string) < 0.9 is a type error in SPARQL 1.1: no band row; the datatype rows stay."""
    store = load_store(layout.ontology_files + [minimal_graph])
    store.update(next(c for c in CASES if c.stem == STRING_CONFIDENCE).read_text(encoding="utf-8"))
    problems = validate_store(store, layout.shapes_files, None).problems
    assert not [p for p in problems if p.check == "cksh:ConfidenceInBandShape"]
    assert [p.value for p in problems if p.check == "cksh:confidence"] == ['"0.95"^^xsd:string'] * 3


def test_ill_typed_confidence_follows_shacl(layout, tmp_path):
    """"high"^^xsd:decimal fails sh:datatype, sh:minInclusive and sh:maxInclusive (SHACL §4.2.1, §4.3:
    an ill-typed or incomparable value is a violation) and no band row (SPARQL type error);
    pySHACL reports the band and misses maxInclusive (W3C core/property/datatype-001 fails there too)."""
    store = _synthetic(tmp_path, 3000)
    store.update(PREFIXES + ILL_TYPED)
    found = _both(layout, store)
    rows = {engine: sorted(p.check for p in problems if p.value == '"high"^^xsd:decimal')
            for engine, problems in found.items()}
    assert rows["shacl"] == ["cksh:confidence"] * 3
    assert rows["pyshacl"] == ["cksh:ConfidenceInBandShape", "cksh:confidence", "cksh:confidence"]


def _synthetic(tmp_path, triples: int) -> ox.Store:
    from chipkg.project import Layout
    output = tmp_path / "synth.nq"
    write_synthetic(output, triples, seed=11)
    return load_store(Layout().ontology_files + [output])


def test_synthetic_graph_with_every_kind_of_damage(layout, tmp_path):
    store = _synthetic(tmp_path, 10_000)
    damage(store)
    found = _both(layout, store)
    fired = {p.check for p in found["shacl"]}
    named = {c.split(":")[1] for c in fired}
    assert len(found["pyshacl"]) > len(UPDATES)          # the damage took, on many nodes
    assert {"ConfidenceInBandShape", "HedgedConfirmationShape", "QuoteOffsetsShape",
            "DeclaredTermShape", "dealParties", "quoteTextSelector", "sourceSha256"} <= named
    reference = Counter(map(_key, found["pyshacl"])) - Counter(
        map(_key, _pyshacl_string_band_rows(found["pyshacl"])))
    assert Counter(map(_key, found["shacl"])) == reference
