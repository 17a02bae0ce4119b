"""Writing query results for the CLI: any format of the table, or an aligned text table."""

from typing import BinaryIO

import pyoxigraph as ox

from .errors import UnusableInput
from .formats import BY_NAME, FORMATS
from .namespaces import PREFIX_IRIS, shorten

QUERY_FORMATS = ("table",) + tuple(f.name for f in FORMATS)
TABLE_CELL_WIDTH = 60  # longer values are cut with "…" in tables; csv/tsv/json carry them whole


def write_results(results, fmt: str, out: BinaryIO) -> None:
    """Write SELECT/ASK/CONSTRUCT results in the named format."""
    graph = isinstance(results, ox.QueryTriples)
    if fmt == "table":
        if graph:
            fmt = "turtle"
        else:
            out.write(_table(results).encode("utf-8"))
            return
    chosen = BY_NAME[fmt]
    if (chosen.kind == "graph") != graph:
        wanted = "an RDF format (turtle, ntriples, ...)" if graph else "table, json, xml, csv or tsv"
        raise UnusableInput(f"format {fmt} does not fit this query's results: use {wanted}")
    if graph:
        out.write(ox.serialize(results, format=chosen.rdf, prefixes=PREFIX_IRIS) or b"")
    else:
        results.serialize(out, chosen.results)
    out.flush()


def _cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _fit(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TABLE_CELL_WIDTH else text[:TABLE_CELL_WIDTH - 1] + "…"


def _table(results) -> str:
    if isinstance(results, ox.QueryBoolean):
        return ("true" if bool(results) else "false") + "\n"
    names = [v.value for v in results.variables]
    rows = [[_fit(_cell(solution[name])) for name in names] for solution in results]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]

    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    body = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    return "\n".join(body) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"
