"""Query results to bytes, by Oxigraph's own serialisers, cut at MAX_RESULT_ROWS.

SELECT results are written straight into the requested format by pyoxigraph,
through a file object that counts rows as the bytes arrive, cheaply (one
``bytes.count`` per chunk of about 4 KB):

* XML counts ``<result>`` and TSV counts lines: both exact;
* JSON counts ``},{`` and CSV counts line ends: upper bounds (a literal may
  contain them), which is enough to know that a result is *not* over the limit.

When the count passes the limit, the writer raises to stop the evaluation, and
the query runs again serialised as TSV (one row per line, lossless), cut after
exactly MAX_RESULT_ROWS rows and converted by pyoxigraph to the requested format.
Only results near or over the limit pay for that second run. CONSTRUCT and
DESCRIBE triples are taken from the iterator up to the limit and serialised by
``pyoxigraph.serialize``; one more triple tells whether there were more.
"""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from chipkg.formats import Format, formats_of
from chipkg.namespaces import PREFIX_IRIS

from ..backends.triples import Triples

_TSV = ox.QueryResultsFormat.TSV
# the bytes counted per row, and the count before any (a header line ends with one
# newline; n JSON rows have n - 1 separators)
_ROW_MARKS = {
    ox.QueryResultsFormat.XML: (b"<result>", 0),
    ox.QueryResultsFormat.TSV: (b"\n", -1),
    ox.QueryResultsFormat.JSON: (b"},{", 1),
    ox.QueryResultsFormat.CSV: (b"\n", -1),
}


@dataclass(frozen=True)
class Rendered:
    body: bytes
    format: Format
    truncated: bool


class _Over(Exception):
    """Raised inside pyoxigraph's serialiser to stop it: the row limit is passed."""


class _CountingWriter:
    """A binary file for pyoxigraph that keeps the chunks and counts row marks."""

    def __init__(self, mark: bytes, start: int, limit: int):
        self.parts: list[bytes] = []
        self.mark, self.limit = mark, limit
        self.count = start
        self.tail = b""

    def write(self, data) -> int:
        data = bytes(data)
        self.parts.append(data)
        mark = self.mark
        if len(mark) == 1:
            self.count += data.count(mark)
        else:       # a mark split across two chunks is counted once
            self.count += data.count(mark) + (self.tail + data[:len(mark) - 1]).count(mark)
            self.tail = data[-(len(mark) - 1):]
        if self.count > self.limit:
            raise _Over
        return len(data)

    def flush(self) -> None:
        pass


def is_graph(results) -> bool:
    return isinstance(results, (ox.QueryTriples, Triples))


def default_format(results) -> Format:
    return formats_of("graph" if is_graph(results) else "results")[0]


def render(results, fmt: Format, max_rows: int, run_again: Callable[[], object]) -> Rendered:
    """Serialise `results` in `fmt`, at most `max_rows` rows or triples.

    `run_again` evaluates the same query once more; it is called only for a
    SELECT whose row count may pass the limit.
    """
    if is_graph(results):
        triples = iter(results)
        body = ox.serialize(islice(triples, max_rows), format=fmt.rdf, prefixes=PREFIX_IRIS)
        return Rendered(body or b"", fmt, next(triples, None) is not None)
    if isinstance(results, ox.QueryBoolean):
        return Rendered(results.serialize(format=fmt.results), fmt, False)
    writer = _CountingWriter(*_ROW_MARKS[fmt.results], max_rows)
    try:
        results.serialize(writer, format=fmt.results)
        return Rendered(b"".join(writer.parts), fmt, False)
    except _Over:
        pass
    tsv = _CountingWriter(b"\n", -1, max_rows)
    truncated = False
    try:
        run_again().serialize(tsv, format=_TSV)
    except _Over:
        truncated = True
    body = b"".join(tsv.parts)
    if truncated:
        body = body[:_nth_index(body, b"\n", max_rows + 1) + 1]
    if fmt.results != _TSV:
        body = ox.parse_query_results(body, format=_TSV).serialize(format=fmt.results)
    return Rendered(body, fmt, truncated)


def _nth_index(data: bytes, mark: bytes, n: int) -> int:
    position = -1
    for _ in range(n):
        position = data.index(mark, position + 1)
    return position


def head(results, max_rows: int) -> tuple[list, bool]:
    """The first `max_rows` solutions or triples as Python objects, for the HTML view."""
    items = iter(results)
    rows = list(islice(items, max_rows))
    return rows, next(items, None) is not None
