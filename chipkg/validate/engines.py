"""SHACL engines behind one seam, turned into Problems.

Two engines, chosen by name (`chipkg validate --engine`):

* ``shacl`` (default): the Rust `shacl` package, pinned to one version. It reads
  the data as N-Quads text, releases the GIL, and validated a million triples
  in about 8 s here where pySHACL took 160 s; its results matched pySHACL's on
  every graph compared (docs/validation.md).
* ``pyshacl``: pySHACL in advanced mode on an rdflib copy of the data. Slow, but
  the most used Python engine: the reference the tests compare against, and the
  fallback when the fast one is unavailable or suspected wrong.

An engine that silently skipped a constraint kind would report "conforms" for
rules it never ran, so before running, `check_supported` refuses shapes that use
any SHACL term the chosen engine is not known to implement.
"""

import logging
import warnings
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from ..errors import UnusableInput
from ..rdfio import rdflib_term, to_rdflib
from .problems import Problem, show
from .support import check_supported

SHACL_VERSION = "0.3.4"        # pinned in pyproject.toml; equivalence is tested against it


@dataclass
class ShapesRun:
    """What an engine found: Problems (sorted) and the W3C report as Turtle."""
    problems: list[Problem]
    report_turtle: str

    @cached_property
    def report(self) -> Graph:
        return Graph().parse(data=self.report_turtle, format="turtle")


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.severity != "Violation", p.focus, p.check, p.path or ""))


class RustShacl:
    """The `shacl` package; data given as N-Quads text (graph names are dropped: the union)."""

    name = "shacl"
    needs_text = True

    def __init__(self, shapes: list[ox.Quad], allow_warnings: bool = True):
        import shacl
        if shacl.__version__ != SHACL_VERSION:
            raise UnusableInput(f"the shacl engine is version {shacl.__version__}, chipkg is tested "
                                f"with {SHACL_VERSION}: reinstall chipkg, or use --engine pyshacl")
        check_supported(shapes, self.name)
        text = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in shapes],
                            format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        self._shapes = shacl.Shapes.from_text(text, format="ntriples")
        self.version = shacl.__version__
        self.allow_warnings = allow_warnings

    def run_text(self, nquads: str) -> ShapesRun:
        try:
            report = self._shapes.validate_text(nquads, format="nquads",
                                                 allow_warnings=self.allow_warnings)
        except ValueError as error:
            raise UnusableInput(f"the SHACL engine could not read the data: {error}") from None
        return ShapesRun(_quietly(_problems_of, report.results), report.turtle)


def _problems_of(results) -> list[Problem]:
    """Problems as pySHACL's report would give them (same rendering of every term)."""
    if not results:
        return []
    # Terms come in N-Triples syntax; one parse of them all gives exact rdflib terms.
    columns = ("focus_node", "value", "source_shape")
    lines = [f"<urn:r:{i}> <urn:c:{c}> {getattr(r, c)} .\n"
             for i, r in enumerate(results) for c in columns if getattr(r, c) is not None]
    terms: dict[tuple[int, str], object] = {}
    for triple in ox.parse("".join(lines), format=ox.RdfFormat.N_TRIPLES):
        index, column = int(triple.subject.value[6:]), triple.predicate.value[6:]
        terms[(index, column)] = rdflib_term(triple.object)
    problems = []
    for index, result in enumerate(results):
        shape, component = terms.get((index, "source_shape")), URIRef(result.component_iri)
        path = result.path
        problems.append(Problem(
            severity=result.severity,
            check=show(shape) if isinstance(shape, URIRef) else show(component),
            focus=show(terms.get((index, "focus_node"))),
            path=(show(URIRef(path[1:-1])) if _is_iri(path) else "(complex path)") if path else None,
            value=show(terms.get((index, "value"))),
            message=result.message if result.message is not None else f"fails {show(component)}",
        ))
    return sort_problems(problems)


def _quietly(function, *args):
    # rdflib warns and logs a traceback for every ill-typed literal ("aldi"^^xsd:integer)
    # it converts; such a literal is a finding to report, not a fault of the run.
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return function(*args)
    finally:
        logger.setLevel(level)


def _is_iri(path: str) -> bool:
    return path.startswith("<") and path.endswith(">") and ">" not in path[1:-1]


class PyShacl:
    """pySHACL in advanced mode (SPARQL targets) on an rdflib copy of the data."""

    name = "pyshacl"
    needs_text = False

    def __init__(self, shapes: list[ox.Quad], allow_warnings: bool = True):
        import pyshacl
        check_supported(shapes, self.name)
        self._shapes = to_rdflib(shapes)
        self.version = pyshacl.__version__
        self.allow_warnings = allow_warnings

    def run_store(self, store: ox.Store) -> ShapesRun:
        def run():
            problems, report = run_shapes(to_rdflib(store), self._shapes, self.allow_warnings)
            return ShapesRun(problems, report.serialize(format="turtle"))
        return _quietly(run)


def run_shapes(data: Graph, shapes: Graph, allow_warnings: bool = True) -> tuple[list[Problem], Graph]:
    """Validate `data` against `shapes` with pySHACL; the Problems and the W3C report graph."""
    from pyshacl import validate as pyshacl_validate
    # No inference: the ontology is merged into the data graph, and SHACL class
    # targets already follow rdfs:subClassOf there.
    _, report, _ = pyshacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=allow_warnings)
    problems = [_pyshacl_problem(report, result)
                for result in report.subjects(RDF.type, SH.ValidationResult)]
    return sort_problems(problems), report


def _pyshacl_problem(report: Graph, result) -> Problem:
    def one(predicate):
        return report.value(result, predicate)

    severity = one(SH.resultSeverity)
    message = one(SH.resultMessage)
    component = one(SH.sourceConstraintComponent)
    shape = one(SH.sourceShape)
    path = one(SH.resultPath)
    return Problem(
        severity=str(severity).rsplit("#", 1)[-1],
        check=show(shape) if isinstance(shape, URIRef) else show(component),
        focus=show(one(SH.focusNode)),
        path=show(path) if isinstance(path, URIRef) else ("(complex path)" if path else None),
        value=show(one(SH.value)),
        message=str(message) if message is not None else f"fails {show(component)}",
    )


ENGINES = {"shacl": RustShacl, "pyshacl": PyShacl}
DEFAULT_ENGINE = "shacl"


def engine_named(name: str, shapes: list[ox.Quad], allow_warnings: bool = True):
    """The engine `name` with `shapes` compiled; a Warning never blocks conformance by default."""
    if name not in ENGINES:
        raise UnusableInput(f"unknown SHACL engine {name!r}; known: {', '.join(ENGINES)}")
    return ENGINES[name](shapes, allow_warnings)
