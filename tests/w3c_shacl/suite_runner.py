"""Read the W3C SHACL test manifests and run one test through a chipkg engine.

A test passes when the engine's W3C report has the expected sh:conforms and the
same multiset of results, compared on focus node, path, severity, constraint
component, source shape and value (sh:resultMessage is free text and not
compared; blank nodes compare equal to any blank node, as their labels are
the engine's own), or, for a test whose expected result is sht:Failure, when
the engine refuses to validate.
"""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from chipkg.errors import UnusableInput
from chipkg.validate.engines import engine_named

SUITE = Path(__file__).parent / "suite"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
SH = "http://www.w3.org/ns/shacl#"
KEY = ("focusNode", "resultPath", "resultSeverity", "sourceConstraintComponent", "sourceShape", "value")


@dataclass(frozen=True)
class Case:
    id: str                 # e.g. "core/node/datatype-001"
    data: Path
    shapes: Path
    status: str
    expected: object        # a Counter of result keys plus conforms, or "failure"


def _store(path: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=path, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    return store


def _file(term: ox.NamedNode) -> Path:
    return Path(term.value.removeprefix("file://"))


def cases(manifest: Path = SUITE / "manifest.ttl") -> list[Case]:
    store = _store(manifest)
    found = []
    for row in store.query(f"SELECT ?i WHERE {{ ?m <{MF}include> ?i }}"):
        found += cases(_file(row["i"]))
    query = f"""SELECT ?t ?data ?shapes ?result ?status WHERE {{
        ?m <{MF}entries>/<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>*/
           <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?t .
        ?t <{MF}action> ?a ; <{MF}result> ?result ; <{MF}status> ?status .
        ?a <{SHT}dataGraph> ?data ; <{SHT}shapesGraph> ?shapes }}"""
    for row in store.query(query):
        test_id = str(Path(_file(row["t"])).relative_to(SUITE.resolve()))
        result = row["result"]
        expected = "failure" if result == ox.NamedNode(SHT + "Failure") else _expected(store, result)
        found.append(Case(test_id, _file(row["data"]), _file(row["shapes"]),
                          row["status"].value.rsplit("#", 1)[1], expected))
    return sorted(found, key=lambda c: c.id)


def _key_of(store: ox.Store, result) -> tuple:
    values = {}
    for name in KEY:
        terms = [q.object for q in store.quads_for_pattern(result, ox.NamedNode(SH + name), None)]
        values[name] = _show(terms[0]) if terms else None
    return tuple(values[name] for name in KEY)


def _show(term) -> str:
    return "_:" if isinstance(term, ox.BlankNode) else str(term)


def _report(store: ox.Store, report) -> tuple[bool, Counter]:
    conforms = next(store.quads_for_pattern(report, ox.NamedNode(SH + "conforms"), None)).object
    results = Counter(_key_of(store, q.object)
                      for q in store.quads_for_pattern(report, ox.NamedNode(SH + "result"), None))
    return conforms.value == "true", results


def _expected(store: ox.Store, report) -> tuple[bool, Counter]:
    return _report(store, report)


def run(case: Case, engine: str):
    """The engine's (conforms, results) for the case, or "failure" if it refused."""
    shapes = list(ox.parse(path=case.shapes, format=ox.RdfFormat.TURTLE,
                           base_iri=case.shapes.resolve().as_uri()))
    data = _store(case.data)
    try:
        runner = engine_named(engine, shapes, allow_warnings=False)
        if runner.needs_text:
            outcome = runner.run_text(data.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"))
        else:
            outcome = runner.run_store(data)
    except UnusableInput:
        return "failure"
    report = ox.Store()
    report.load(outcome.report_turtle, format=ox.RdfFormat.TURTLE)
    root = next(report.quads_for_pattern(None, ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(SH + "ValidationReport"))).subject
    return _report(report, root)
