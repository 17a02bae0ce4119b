"""A validation run: SHACL shapes plus quote verification over one union graph."""

import multiprocessing
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH

from .errors import ChipkgError, UnusableInput
from .namespaces import CK, CKSH
from .problems import Problem, unshow
from .quotes import verify_quotes
from .rdfio import read_quads, to_rdflib
from .shacl import run_shapes


@dataclass
class Outcome:
    problems: list[Problem]
    report: Graph                      # the W3C SHACL validation report, quote results included
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return not any(p.is_violation for p in self.problems)

    @property
    def exit_code(self) -> int:
        return 0 if self.conforms else 1


def validate_quads(quads: list[ox.Quad], shapes_files: list[Path], sources: Path | None,
                   files: int = 1) -> Outcome:
    """Validate quads already read (so a caller that also loads them parses once)."""
    if not shapes_files:
        raise UnusableInput("no SHACL shapes files found")
    data = to_rdflib(quads)
    shapes = to_rdflib(read_quads(shapes_files))
    problems, report = run_shapes(data, shapes)
    quote_problems, quotes_checked = ([], 0) if sources is None else verify_quotes(data, sources)
    _add_to_report(report, quote_problems)
    counts = {
        "files": files,
        "triples": len(data),
        "claims": len(set(data.subjects(RDF.type, CK.Claim))),
        "deals": len(set(data.subjects(RDF.type, CK.Deal))),
        "quotes_verified": quotes_checked,
    }
    if counts["triples"] == 0:
        raise UnusableInput("nothing to validate: the data files hold no triples")
    return Outcome(problems + quote_problems, report, counts)


def _add_to_report(report: Graph, problems: list[Problem]) -> None:
    """Record quote problems in the SHACL report so every output format has them."""
    root = report.value(None, RDF.type, SH.ValidationReport)
    for problem in problems:
        result = BNode()
        report.add((root, SH.result, result))
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.resultSeverity, SH.Violation))
        report.add((result, SH.sourceShape, CKSH.QuoteVerification))
        report.add((result, SH.focusNode, unshow(problem.focus)))
        report.add((result, SH.resultMessage, Literal(problem.message)))
    if any(p.is_violation for p in problems):
        report.set((root, SH.conforms, Literal(False)))


def validate_quads_apart(quads: list[ox.Quad], shapes_files: list[Path], sources: Path | None,
                         files: int = 1) -> Outcome:
    """`validate_quads` in a forked child process, for long-running callers.

    The rdflib copy of the data and pySHACL's working memory are several times
    the size of the query store; in a child they go back to the system when it
    exits instead of staying in the server for its whole life. The child sees
    the quads through fork, so nothing large is copied. The returned Outcome has
    the problems and counts, and an empty report graph.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        try:
            outcome = validate_quads(quads, shapes_files, sources, files)
            send.send(("ok", outcome.problems, outcome.counts))
        except ChipkgError as error:
            send.send(("error", str(error), None))

    process = context.Process(target=child, name="chipkg-validate")
    process.start()
    send.close()
    try:
        kind, payload, counts = receive.recv()
    except EOFError:
        raise ChipkgError(f"the validation process died (exit code {process.exitcode})") from None
    finally:
        process.join()
    if kind == "error":
        raise UnusableInput(payload)
    return Outcome(payload, Graph(), counts)
