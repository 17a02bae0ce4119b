"""Reading the W3C SPARQL 1.1 test manifests and comparing answers as SPARQL says.

The vendored manifests (sparql11/, from w3c/rdf-tests, licence in LICENSE.md) are
read with rdflib under their published base IRI, so test, query and data IRIs are
the ones the suite names; `local` maps them back to the files here.

Answers are compared as RDF terms (lexical forms included, as the suite's own
harnesses do): solution sequences as multisets, or as sequences when the query
has ORDER BY; blank nodes up to a consistent renaming; graphs by isomorphism.
"""

import io
import re
from decimal import Decimal, InvalidOperation
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from rdflib.query import Result

HERE = Path(__file__).parent / "sparql11"
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
QUERY_SUITES = ("aggregates", "bind", "bindings", "cast", "construct", "exists", "functions",
                "grouping", "negation", "project-expression", "property-path", "subquery")
SYNTAX_SUITES = ("syntax-query",)
RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
               ".rdf": ox.RdfFormat.RDF_XML}


def local(iri: str) -> Path:
    assert iri.startswith(BASE), iri
    return HERE / iri[len(BASE):]


def manifest(suite: str) -> Graph:
    graph = Graph()
    graph.parse(HERE / suite / "manifest.ttl", format="turtle",
                publicID=f"{BASE}{suite}/manifest.ttl")
    return graph


def entries(graph: Graph):
    for head in graph.objects(None, MF.entries):
        yield from Collection(graph, head)


@dataclass
class Case:
    suite: str
    name: str               # the test's local name, e.g. "agg01"
    kind: str               # QueryEvaluationTest, PositiveSyntaxTest11, NegativeSyntaxTest11
    query: str              # query IRI
    data: list[str] = field(default_factory=list)
    graph_data: list[str] = field(default_factory=list)
    result: str | None = None

    @property
    def id(self) -> str:
        return f"{self.suite}/{self.name}"

    @property
    def text(self) -> str:
        return local(self.query).read_text(encoding="utf-8")


def cases(suites) -> list[Case]:
    found = []
    for suite in suites:
        graph = manifest(suite)
        for test in entries(graph):
            approval = graph.value(test, DAWGT.approval)
            if approval is not None and approval != DAWGT.Approved:
                continue                # Proposed / Withdrawn tests are not part of the suite
            kind = str(graph.value(test, RDF.type)).rsplit("#", 1)[1]
            name = str(test).rsplit("#", 1)[1]
            action = graph.value(test, MF.action)
            if isinstance(action, URIRef):                  # syntax tests: the query itself
                found.append(Case(suite, name, kind, str(action)))
                continue
            result = graph.value(test, MF.result)
            found.append(Case(suite, name, kind, str(graph.value(action, QT.query)),
                              sorted(str(d) for d in graph.objects(action, QT.data)),
                              sorted(str(d) for d in graph.objects(action, QT.graphData)),
                              str(result) if result is not None else None))
    return found


def store_for(case: Case) -> ox.Store:
    store = ox.Store()
    for iri in case.data:
        path = local(iri)
        store.load(path=str(path), format=RDF_FORMATS[path.suffix], base_iri=iri)
    for iri in case.graph_data:
        path = local(iri)
        store.load(path=str(path), format=RDF_FORMATS[path.suffix], base_iri=iri,
                   to_graph=ox.NamedNode(iri))
    return store


def is_ordered(query: str) -> bool:
    return re.search(r"\bORDER\s+BY\b", re.sub(r"#[^\n]*", "", query), re.I) is not None


# --- answers: ("graph", Graph) | ("boolean", bool) | ("solutions", variables, rows) ---

def answer_of_results(data: bytes, fmt: str):
    result = Result.parse(io.BytesIO(data), format=fmt)
    if result.type == "ASK":
        return ("boolean", bool(result.askAnswer))
    variables = [str(v) for v in result.vars or []]
    rows = [{str(k): v for k, v in row.items() if v is not None} for row in result.bindings]
    return ("solutions", variables, rows)


def answer_of_graph(data: bytes, fmt: str, base: str | None = None):
    graph = Graph()
    graph.parse(data=data, format=fmt, publicID=base)
    if (None, RDF.type, RS.ResultSet) in graph:
        return _result_set(graph)
    return ("graph", graph)


def _result_set(graph: Graph):
    """The DAWG RDF encoding of a result set (rs:ResultSet), as an answer."""
    root = graph.value(None, RDF.type, RS.ResultSet, any=False)
    boolean = graph.value(root, RS.boolean)
    if boolean is not None:
        return ("boolean", bool(boolean.toPython()))
    variables = [str(v) for v in graph.objects(root, RS.resultVariable)]
    rows = []
    for solution in graph.objects(root, RS.solution):
        rows.append({str(graph.value(b, RS.variable)): graph.value(b, RS.value)
                     for b in graph.objects(solution, RS.binding)})
    return ("solutions", variables, rows)


def expected_answer(case: Case):
    path = local(case.result)
    data = path.read_bytes()
    if path.suffix == ".srx":
        return answer_of_results(data, "xml")
    if path.suffix == ".srj":
        return answer_of_results(data, "json")
    if path.suffix in (".tsv", ".csv"):
        return answer_of_results(data, path.suffix[1:])
    return answer_of_graph(data, {".ttl": "turtle", ".nt": "nt", ".rdf": "xml"}[path.suffix],
                           case.result)


XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {XSD + name for name in ("integer", "decimal", "double", "float", "int", "long",
                                     "short", "byte", "nonNegativeInteger", "positiveInteger",
                                     "negativeInteger", "nonPositiveInteger", "unsignedInt",
                                     "unsignedLong", "unsignedShort", "unsignedByte")}


def _canonical(term):
    """Language tags are case-insensitive; a simple literal is an xsd:string (RDF 1.1); a
    number is compared by value within its datatype ("1.0" and "1" as xsd:decimal are one
    value, and the suite's results and engines differ only in such lexical forms)."""
    if isinstance(term, Literal) and str(term.datatype) in _NUMERIC:
        try:
            return ("number", str(term.datatype), Decimal(str(term)) if "E" not in str(term).upper()
                    else float(str(term)))
        except (InvalidOperation, ValueError):
            return term
    if isinstance(term, Literal) and term.language:
        return Literal(str(term), lang=term.language.lower())
    if isinstance(term, Literal) and term.datatype == XSD_STRING:
        return Literal(str(term))
    return term


def same(expected, actual, ordered: bool) -> bool:
    if expected[0] != actual[0]:
        return False
    if expected[0] == "boolean":
        return expected[1] == actual[1]
    if expected[0] == "graph":
        return isomorphic(expected[1], actual[1])
    if sorted(expected[1]) != sorted(actual[1]) and expected[1] and actual[1]:
        return False
    want = [{k: _canonical(v) for k, v in row.items()} for row in expected[2]]
    got = [{k: _canonical(v) for k, v in row.items()} for row in actual[2]]
    if len(want) != len(got):
        return False
    return _match(want, got, ordered, {}, set())


def _match(want, got, ordered, mapping, used) -> bool:
    """Can the rows of `got` be paired with `want` (in order if `ordered`) under one bijection
    of blank nodes? Backtracking; the suite's answers are small."""
    if not want:
        return True
    row, rest = want[0], want[1:]
    candidates = [0] if ordered else range(len(got))
    for index in candidates:
        extended = _unify(row, got[index], mapping, used)
        if extended is not None and _match(rest, got[:index] + got[index + 1:], ordered,
                                           *extended):
            return True
    return False


def _unify(want: dict, got: dict, mapping: dict, used: set):
    if want.keys() != got.keys():
        return None
    mapping, used = dict(mapping), set(used)
    for key, term in want.items():
        other = got[key]
        if isinstance(term, BNode) and isinstance(other, BNode):
            if term in mapping:
                if mapping[term] != other:
                    return None
            elif other in used:
                return None
            else:
                mapping[term] = other
                used.add(other)
        elif term != other:
            return None
    return mapping, used
