"""Checking every quote against the bytes of its source file.

A source document is found by the sha256 of its file in a sources folder, so a
file can be renamed or moved without breaking the graph, and any change to its
bytes is noticed. Offsets count Unicode code points, end exclusive, as the Web
Annotation TextPositionSelector defines them.
"""

import hashlib
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF

from .errors import UnusableInput
from .namespaces import CK, OA
from .problems import Problem, show

CHECK = "quote-verification"


def index_sources(folder: Path) -> dict[str, Path]:
    """sha256 hex digest → file, for every file under `folder`."""
    if not folder.is_dir():
        raise UnusableInput(f"sources folder not found: {folder} "
                            "(give --sources DIR or set CHIPKG_SOURCES)")
    return {hashlib.sha256(path.read_bytes()).hexdigest(): path
            for path in sorted(folder.rglob("*")) if path.is_file()}


def verify_quotes(graph: Graph, sources: Path) -> tuple[list[Problem], int]:
    """Problems for every quote that does not match its source; and how many were checked."""
    quotes = sorted(set(graph.subjects(RDF.type, CK.Quote)))
    if not quotes:
        return [], 0
    files = index_sources(sources)
    texts: dict = {}
    problems: list[Problem] = []
    for document in set(graph.objects(None, OA.hasSource)):
        digest = graph.value(document, CK.sha256)
        path = files.get(str(digest)) if digest is not None else None
        if path is None:
            problems.append(Problem("Violation", CHECK, show(document),
                                    f"no file with sha256 {digest} in {sources}: put the source "
                                    "file there, or correct ck:sha256", path="ck:sha256"))
            continue
        try:
            texts[document] = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(Problem("Violation", CHECK, show(document),
                                    f"{path} is not UTF-8 ({error.reason} at byte {error.start})"))
    for quote in quotes:
        text = texts.get(graph.value(quote, OA.hasSource))
        if text is not None:
            problems.extend(_check_quote(graph, quote, text))
    return problems, len(quotes)


def _selector_values(graph: Graph, quote) -> dict:
    values = {}
    for selector in graph.objects(quote, OA.hasSelector):
        for name in ("exact", "prefix", "suffix", "start", "end"):
            found = graph.value(selector, OA[name])
            if found is not None:
                values[name] = found.toPython() if name in ("start", "end") else str(found)
    return values


def _check_quote(graph: Graph, quote, text: str) -> list[Problem]:
    claims = sorted(show(c) for c in graph.subjects(CK.hasQuote, quote)) or [show(quote)]
    found = _selector_values(graph, quote)
    if not {"exact", "start", "end"} <= found.keys() or not all(
            isinstance(found[k], int) for k in ("start", "end")):
        return []  # the SHACL quote shape reports missing or ill-typed selectors
    start, end, exact = found["start"], found["end"], found["exact"]
    expected = {"exact": (start, end, exact)}
    if "prefix" in found:
        expected["prefix"] = (start - len(found["prefix"]), start, found["prefix"])
    if "suffix" in found:
        expected["suffix"] = (end, end + len(found["suffix"]), found["suffix"])
    problems = []
    for part, (begin, stop, wanted) in expected.items():
        actual = text[begin:stop] if 0 <= begin <= stop <= len(text) else None
        if actual != wanted:
            shown = "outside the file" if actual is None else repr(actual)
            for claim in claims:
                problems.append(Problem(
                    "Violation", CHECK, claim,
                    f"quote {show(quote)} {part} does not match the source at [{begin}, {stop}): "
                    f"expected {wanted!r}, found {shown}; fix the quote text or its offsets",
                    path=f"ck:hasQuote/oa:hasSelector/oa:{part}"))
    return problems
