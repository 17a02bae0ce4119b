"""Writing the RDF dumps from the canonical form, with pyoxigraph's serialisers.

pyoxigraph writes statements in the order given and its prefix declarations in
a fixed order, so sorted input gives the same bytes every time. Only prefixes
the data uses are declared, so a reader's file does not start with unused ones.
"""

from pathlib import Path

import pyoxigraph as ox

from ..formats import BY_NAME
from ..namespaces import PREFIX_IRIS
from .canonical import Canonical
from .files import DUMPS
from .jsonld import write_jsonld

EXTRA_PREFIXES = {"wd": "http://www.wikidata.org/entity/"}


def used_prefixes(statements) -> dict[str, str]:
    namespaces = {**PREFIX_IRIS, **EXTRA_PREFIXES}
    stems: set[str] = set()
    for statement in statements:
        for term in (statement.subject, statement.predicate, statement.object):
            if isinstance(term, ox.NamedNode):
                stems.add(_stem(term.value))
            elif isinstance(term, ox.Literal):
                stems.add(_stem(term.datatype.value))
    return {p: ns for p, ns in sorted(namespaces.items()) if any(s.startswith(ns) for s in stems)}


def _stem(iri: str) -> str:
    # Cutting at the last / or # keeps the set of distinct stems small.
    return iri[:max(iri.rfind("/"), iri.rfind("#")) + 1]


def write_dumps(canonical: Canonical, folder: Path) -> list[Path]:
    """Every file of `DUMPS` into `folder`; returns their paths in table order."""
    prefixes = used_prefixes(canonical.quads())
    written = []
    for entry in DUMPS:
        path = folder / entry.name
        rdf = BY_NAME[entry.format].rdf
        if entry.format == "jsonld":
            write_jsonld(canonical.triples(), path, prefixes)
        elif rdf is ox.RdfFormat.N_QUADS:
            path.write_bytes(canonical.nquads)
        elif rdf is ox.RdfFormat.TRIG:
            ox.serialize(canonical.by_graph(), path, format=rdf, prefixes=prefixes)
        elif rdf is ox.RdfFormat.N_TRIPLES:
            path.write_bytes(canonical.ntriples)
        else:
            ox.serialize(canonical.triples(), path, format=rdf, prefixes=prefixes)
        written.append(path)
    return written
