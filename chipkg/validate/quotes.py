"""Checking every quote against the bytes of its source file.

A source document is found by the sha256 of its file in a sources folder, so a
file can be renamed or moved without breaking the graph, and any change to its
bytes is noticed. Offsets count Unicode code points, end exclusive, as the Web
Annotation TextPositionSelector defines them.

The graph is read by two SPARQL queries on the run's pyoxigraph Store (no
rdflib copy): at a million triples the quote query takes about a second. Its
required patterns come first and the OPTIONALs last: Oxigraph does not reorder
them, and the other order took 27 s at 100k triples.
"""

import hashlib
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from ..errors import UnusableInput
from .problems import Problem, show

CHECK = "quote-verification"
PREFIXES = """PREFIX ck: <https://w3id.org/chipkg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
QUOTES = PREFIXES + """SELECT ?quote ?document ?exact ?start ?end ?prefix ?suffix WHERE {
    ?quote a ck:Quote ; oa:hasSource ?document ; oa:hasSelector ?textSelector , ?positionSelector .
    ?textSelector oa:exact ?exact .
    ?positionSelector oa:start ?start ; oa:end ?end .
    OPTIONAL { ?textSelector oa:prefix ?prefix }
    OPTIONAL { ?textSelector oa:suffix ?suffix }
}"""
HAS_QUOTE = ox.NamedNode("https://w3id.org/chipkg/ontology#hasQuote")
DOCUMENTS = PREFIXES + """SELECT DISTINCT ?document ?digest WHERE {
    ?anything oa:hasSource ?document OPTIONAL { ?document ck:sha256 ?digest } }"""
COUNT = PREFIXES + "SELECT (COUNT(DISTINCT ?quote) AS ?n) WHERE { ?quote a ck:Quote }"
INTEGERS = {f"http://www.w3.org/2001/XMLSchema#{name}" for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte")}


def index_sources(folder: Path) -> dict[str, Path]:
    """sha256 hex digest → file, for every file under `folder`."""
    if not folder.is_dir():
        raise UnusableInput(f"sources folder not found: {folder} "
                            "(give --sources DIR or set CHIPKG_SOURCES)")
    return {hashlib.sha256(path.read_bytes()).hexdigest(): path
            for path in sorted(folder.rglob("*")) if path.is_file()}


def verify_quotes(data, sources: Path) -> tuple[list[Problem], int]:
    """Problems for every quote that does not match its source; and how many were checked.

    `data` is the run's pyoxigraph Store (an rdflib Graph is accepted too and copied).
    """
    store = data if isinstance(data, ox.Store) else _store_of_rdflib(data)
    quotes = _rows(store, COUNT)[0]["n"]
    checked = int(quotes.value)
    if not checked:
        return [], 0
    files = index_sources(sources)
    texts: dict = {}
    problems: list[Problem] = []
    for row in _rows(store, DOCUMENTS):
        document, digest = row["document"], row["digest"]
        if document in texts or any(p.focus == _show(document) for p in problems):
            continue                    # a document with two sha256s: the shape reports it
        path = files.get(digest.value) if digest is not None else None
        if path is None:
            shown = digest.value if digest is not None else None
            problems.append(Problem("Violation", CHECK, _show(document),
                                    f"no file with sha256 {shown} in {sources}: put the source "
                                    "file there, or correct ck:sha256", path="ck:sha256"))
            continue
        try:
            texts[document] = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(Problem("Violation", CHECK, _show(document),
                                    f"{path} is not UTF-8 ({error.reason} at byte {error.start})"))
    for quote, found in _selectors(store).items():
        text = texts.get(found["document"])
        if text is not None:
            problems.extend(_check_quote(store, quote, found, text))
    return problems, checked


def _rows(store: ox.Store, query: str) -> list:
    return list(store.query(query, use_default_graph_as_union=True))


def _selectors(store: ox.Store) -> dict:
    """quote → its document, exact, start, end, prefix, suffix (the first found of each)."""
    quotes: dict = defaultdict(dict)
    names = ("document", "exact", "start", "end", "prefix", "suffix")
    for row in store.query(QUOTES, use_default_graph_as_union=True):
        found = quotes[row[0]]
        for index, name in enumerate(names, 1):
            if name not in found and row[index] is not None:
                found[name] = row[index]
    return dict(sorted(quotes.items(), key=lambda item: item[0].value))


def _integer(term) -> int | None:
    if isinstance(term, ox.Literal) and term.datatype.value in INTEGERS:
        try:
            return int(term.value)
        except ValueError:
            return None
    return None


def _show(term) -> str:
    return show(URIRef(term.value)) if isinstance(term, ox.NamedNode) else f"_:{term.value}"


def _check_quote(store: ox.Store, quote, found: dict, text: str) -> list[Problem]:
    start, end = _integer(found["start"]), _integer(found["end"])
    if start is None or end is None:
        return []  # the SHACL quote shape reports ill-typed selectors
    exact = found["exact"].value
    expected = {"exact": (start, end, exact)}
    if "prefix" in found:
        prefix = found["prefix"].value
        expected["prefix"] = (start - len(prefix), start, prefix)
    if "suffix" in found:
        suffix = found["suffix"].value
        expected["suffix"] = (end, end + len(suffix), suffix)
    problems = []
    for part, (begin, stop, wanted) in expected.items():
        actual = text[begin:stop] if 0 <= begin <= stop <= len(text) else None
        if actual != wanted:
            # names are shown only for a mismatch: rendering 30,000 of them costs seconds
            claims = sorted({_show(q.subject) for q in store.quads_for_pattern(None, HAS_QUOTE, quote)}
                            ) or [_show(quote)]
            shown = "outside the file" if actual is None else repr(actual)
            for claim in claims:
                problems.append(Problem(
                    "Violation", CHECK, claim,
                    f"quote {_show(quote)} {part} does not match the source at [{begin}, {stop}): "
                    f"expected {wanted!r}, found {shown}; fix the quote text or its offsets",
                    path=f"ck:hasQuote/oa:hasSelector/oa:{part}"))
    return problems


def _store_of_rdflib(graph) -> ox.Store:
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store
