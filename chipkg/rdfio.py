"""Reading RDF files into quads, and writing files so readers never see half of one.

Files are parsed by pyoxigraph: it is an order of magnitude faster than rdflib's
parsers and reports syntax errors with line and column. Graph-level tools that
need rdflib (pySHACL) get a converted copy through `to_rdflib`.
"""

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from .errors import UnusableInput
from .hardening.files import check_file


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF syntax of a file, from its extension."""
    found = ox.RdfFormat.from_extension(path.suffix.lstrip(".").replace("owl", "rdf"))
    if found is None:
        raise UnusableInput(f"unknown RDF file extension {path.suffix!r}", file=str(path))
    return found


def read_quads(paths: Iterable[Path], max_file_bytes: int | None = None) -> list[ox.Quad]:
    """Every quad of the files, named graphs kept; raise UnusableInput on any problem
    (including a file over the size limit or an RDF/XML entity bomb: `hardening.files`)."""
    quads: list[ox.Quad] = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise UnusableInput("no such file", file=str(path))
        syntax = rdf_format(path)
        check_file(path, syntax == ox.RdfFormat.RDF_XML, max_file_bytes)
        try:
            quads.extend(ox.parse(path=path, format=syntax, rename_blank_nodes=True))
        except SyntaxError as error:
            raise UnusableInput(_syntax_message(error), file=str(path), line=error.lineno,
                                column=error.offset) from None
        except (OSError, ValueError) as error:
            raise UnusableInput(str(error), file=str(path)) from None
    return quads


def _syntax_message(error: SyntaxError) -> str:
    # pyoxigraph appends "(file, line N)"; the file and line are reported separately.
    return str(error.msg).split(" (", 1)[0] if error.msg else "syntax error"


def _term(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise UnusableInput(f"unsupported RDF term {term!r} (RDF 1.2 triple terms are not validated)")


rdflib_term = _term


def to_rdflib(quads: Iterable[ox.Quad]) -> Graph:
    """One rdflib graph holding the triples of every graph (the union).

    SHACL validation runs on the union: pySHACL validates each named graph of a
    Dataset on its own, which would break references across graphs.
    """
    graph = Graph()
    for quad in quads:
        graph.add((_term(quad.subject), _term(quad.predicate), _term(quad.object)))
    return graph


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomically(path: Path, chunks: Iterator[bytes] | bytes) -> None:
    """Write a file through a temporary sibling and a rename: never half-written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; give what open() would
        with os.fdopen(handle, "wb") as out:
            for chunk in [chunks] if isinstance(chunks, bytes) else chunks:
                out.write(chunk)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
