"""A validation run: SHACL shapes plus quote verification over one union graph.

One pyoxigraph Store per run holds the data (files loaded straight into it,
blank nodes kept apart per file); the counts and the quote check are SPARQL
queries on it. The default engine reads the same files as N-Quads text; on a
big input it does so in a forked child process while the parent loads the
Store, so the two halves overlap on two cores (neither the engine nor the
Store's loader releases the GIL, so a thread would not), and the engine's
working memory goes back to the system when the child exits instead of
staying in a long-running server. pySHACL (`engine="pyshacl"`) gets an rdflib
copy of the Store instead. docs/validation.md has the measurements.
"""

import multiprocessing
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH

from ..errors import ChipkgError, UnusableInput
from ..hardening.files import check_file
from ..namespaces import CKSH
from ..rdfio import _syntax_message, rdf_format, read_quads
from .engines import DEFAULT_ENGINE, ShapesRun, engine_named
from .problems import Problem, unshow
from .progress import Progress
from .quotes import verify_quotes

COUNTS = """PREFIX ck: <https://w3id.org/chipkg/ontology#>
SELECT ?triples ?claims ?deals WHERE {
  { SELECT (COUNT(*) AS ?triples) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } }
  { SELECT (COUNT(DISTINCT ?c) AS ?claims) WHERE { ?c a ck:Claim } }
  { SELECT (COUNT(DISTINCT ?d) AS ?deals) WHERE { ?d a ck:Deal } }
}"""


@dataclass
class Outcome:
    problems: list[Problem]
    shapes_report: str | Graph         # the engine's W3C SHACL report (Turtle text or a graph)
    counts: dict[str, int] = field(default_factory=dict)
    engine: str = DEFAULT_ENGINE
    cached: bool = False               # replayed from the validation cache

    @property
    def conforms(self) -> bool:
        return not any(p.is_violation for p in self.problems)

    @property
    def exit_code(self) -> int:
        return 0 if self.conforms else 1

    @cached_property
    def report(self) -> Graph:
        """The W3C SHACL validation report, quote results included."""
        source = self.shapes_report
        report = source if isinstance(source, Graph) else Graph().parse(data=source, format="turtle")
        _add_to_report(report, [p for p in self.problems if p.check == "quote-verification"])
        return report


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


def load_store(paths: list[Path], store: ox.Store | None = None) -> ox.Store:
    """Load the files straight into a Store (no list of quads in between)."""
    store = store if store is not None else ox.Store()
    for path in map(Path, paths):
        if not path.is_file():
            raise UnusableInput("no such file", file=str(path))
        syntax = rdf_format(path)
        check_file(path, syntax == ox.RdfFormat.RDF_XML)       # size limit, RDF/XML entity bombs
        try:
            store.bulk_load(path=path, format=syntax)
        except SyntaxError as error:
            raise UnusableInput(_syntax_message(error), file=str(path), line=error.lineno,
                                column=error.offset) from None
        except (OSError, ValueError) as error:
            raise UnusableInput(str(error), file=str(path)) from None
    return store


def nquads_text(paths: list[Path]) -> str:
    """The files as one N-Quads text for the engine.

    The largest N-Triples or N-Quads file is passed as it is (no parse in
    Python); every other file goes through a Store of its own, which gives its
    blank nodes fresh labels (no two files share one) and writes literals in
    canonical form ("0.90"^^xsd:decimal as 0.9), as pySHACL's rdflib does in
    its messages. Only the raw file's literals keep their lexical form.
    """
    raw = max((p for p in map(Path, paths) if p.suffix in (".nt", ".nq")),
              key=lambda p: p.stat().st_size, default=None)
    parts = []
    for path in map(Path, paths):
        if path == raw:
            parts.append(path.read_text(encoding="utf-8"))
        else:
            parts.append(_dump(load_store([path])))
    return "\n".join(parts)


def _dump(store: ox.Store) -> str:
    return store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")


APART_BYTES = 16 << 20      # data files this big run the engine in a child process


def validate_files(paths: list[Path], shapes_files: list[Path], sources: Path | None, *,
                   engine: str = DEFAULT_ENGINE, progress: Progress | None = None,
                   apart_bytes: int = APART_BYTES, meanwhile=None) -> tuple[Outcome, ox.Store]:
    """Validate the files; the Outcome, and the Store they were loaded into.

    `meanwhile(store)`, if given, runs once the Store is loaded and checked, while
    the engine may still be working (a server counts what it will describe then).
    """
    progress = progress or Progress.quiet()
    for path in map(Path, paths):       # the limits hold before any reader (the engine's too) starts
        if path.is_file():
            check_file(path, rdf_format(path) == ox.RdfFormat.RDF_XML)
    runner = _engine(engine, shapes_files)
    worker = None
    big = sum(Path(p).stat().st_size for p in paths if Path(p).is_file()) >= apart_bytes
    if runner.needs_text and big:
        worker = _Child(lambda: runner.run_text(nquads_text(paths)))
    with progress.phase(f"loading {len(paths)} file(s) into the store"):
        try:
            store = load_store(paths)
        except BaseException:
            if worker is not None:
                worker.join()       # let it end before reporting: no engine left running
            raise
    if runner.needs_text and not big:           # small: the Store's own dump, after the load
        worker = _Later(lambda: runner.run_text(_dump(store)))
    outcome = _finish(store, runner, worker, sources, len(paths), progress, meanwhile)
    return outcome, store


def validate_quads(quads: list[ox.Quad], shapes_files: list[Path], sources: Path | None,
                   files: int = 1, engine: str = DEFAULT_ENGINE) -> Outcome:
    """Validate quads already read (tests and callers that built them in memory)."""
    store = ox.Store()
    store.extend(quads)
    return validate_store(store, shapes_files, sources, files, engine)


def validate_store(store: ox.Store, shapes_files: list[Path], sources: Path | None,
                   files: int = 1, engine: str = DEFAULT_ENGINE,
                   progress: Progress | None = None) -> Outcome:
    """Validate what a Store holds (the union of its graphs)."""
    runner = _engine(engine, shapes_files)
    worker = None
    if runner.needs_text:
        worker = _Later(lambda: runner.run_text(_dump(store)))
    return _finish(store, runner, worker, sources, files, progress or Progress.quiet())


def _engine(name: str, shapes_files: list[Path]):
    if not shapes_files:
        raise UnusableInput("no SHACL shapes files found")
    return engine_named(name, read_quads(shapes_files))


def _finish(store, runner, worker, sources, files: int, progress: Progress,
            meanwhile=None) -> Outcome:
    with progress.phase("counting"):
        row = next(iter(store.query(COUNTS, use_default_graph_as_union=True)))
        counts = {"files": files, "triples": int(row["triples"].value),
                  "claims": int(row["claims"].value), "deals": int(row["deals"].value)}
    if counts["triples"] == 0:
        if worker is not None:
            worker.join()
        raise UnusableInput("nothing to validate: the data files hold no triples")
    with progress.phase("verifying quotes against their sources"):
        quote_problems, counts["quotes_verified"] = (
            ([], 0) if sources is None else verify_quotes(store, sources))
    if meanwhile is not None:
        meanwhile(store)
    with progress.phase(f"SHACL shapes ({runner.name} {runner.version})"):
        shapes: ShapesRun = worker.result() if worker is not None else runner.run_store(store)
    return Outcome(shapes.problems + quote_problems, shapes.report_turtle, counts, runner.name)


class _Later:
    """Run the call when its result is asked for (a small input: no process to start)."""

    def __init__(self, call):
        self._call = call

    def join(self) -> None:
        pass

    def result(self) -> ShapesRun:
        return self._call()


class _Child:
    """Run the call in a forked child process; its result or error comes back by a pipe."""

    def __init__(self, call):
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)

        def child() -> None:
            try:
                send.send(("ok", call()))
            except ChipkgError as error:
                send.send(("error", (type(error) is UnusableInput, str(error))))
            except Exception as error:          # reported by the parent, with its kind
                send.send(("error", (False, f"the SHACL engine failed: {type(error).__name__}: "
                                            f"{error}")))

        self._process = context.Process(target=child, name="chipkg-shacl", daemon=True)
        self._process.start()
        send.close()

    def join(self) -> None:
        self._process.join()

    def result(self) -> ShapesRun:
        try:
            kind, payload = self._receive.recv()
        except EOFError:
            self._process.join()
            raise ChipkgError(f"the SHACL engine process died (exit code "
                              f"{self._process.exitcode})") from None
        self._process.join()
        if kind == "error":
            unusable, message = payload
            raise UnusableInput(message) if unusable else ChipkgError(message)
        return payload
