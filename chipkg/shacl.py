"""SHACL validation with pySHACL, turned into Problems."""

from pyshacl import validate as pyshacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from .problems import Problem, show


def run_shapes(data: Graph, shapes: Graph) -> tuple[list[Problem], Graph]:
    """Validate `data` against `shapes`; the Problems and the W3C report graph."""
    # No inference: the ontology is merged into the data graph, and SHACL class
    # targets already follow rdfs:subClassOf there.
    _, report, _ = pyshacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    problems = [_problem(report, result) for result in report.subjects(RDF.type, SH.ValidationResult)]
    problems.sort(key=lambda p: (p.severity != "Violation", p.focus, p.check, p.path or ""))
    return problems, report


def _problem(report: Graph, result) -> Problem:
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
