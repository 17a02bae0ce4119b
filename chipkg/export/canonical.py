"""Canonical form of a dataset: RDFC-1.0 blank-node labels and sorted statements.

Everything the export writes starts from `Canonical`, so every file's bytes
depend only on the dataset, never on parse order, hash seeds or the machine.

The canonical form is kept as bytes, not as Python objects: the sorted N-Quads
of the dataset and the sorted, distinct N-Triples of its union (a few hundred
bytes a statement, against about a kilobyte for a pyoxigraph quad object), plus
the line numbers of each named graph. Each writer gets a fresh stream of
statements parsed from them (pyoxigraph parses a million a second), so the
memory of an export stays near the size of its N-Quads file.
"""

import re
from array import array
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

NQ, NT = ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES


def _graph_key(quad: ox.Quad) -> str:
    # The default graph sorts first; named graphs by IRI.
    return "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)


def _sorted_lines(text: bytes | None, distinct: bool = False) -> bytes:
    # Sorting lines as bytes is code point order, as RDFC-1.0 sorts canonical N-Quads,
    # and far cheaper than sorting Python term objects.
    lines = (text or b"").splitlines(keepends=True)
    return b"".join(sorted(set(lines)) if distinct else sorted(lines))


class Canonical:
    """The dataset's statements in canonical order, as bytes, streamed on demand."""

    def __init__(self, nquads: bytes, ntriples: bytes):
        self.nquads = nquads            # the dataset: canonical N-Quads, lines sorted
        self.ntriples = ntriples        # the union of all graphs: distinct N-Triples, sorted
        self._starts = array("q", [0])
        self._starts.extend(m.end() for m in re.finditer(b"\n", nquads))
        self._graph_lines: dict[str, array] = {}
        for number, quad in enumerate(self.quads()):
            self._graph_lines.setdefault(_graph_key(quad), array("q")).append(number)

    @classmethod
    def of(cls, data: Iterable[ox.Quad] | ox.Dataset) -> "Canonical":
        """Canonicalise `data`; an `ox.Dataset` given is relabelled in place (no copy)."""
        dataset = data if isinstance(data, ox.Dataset) else ox.Dataset(data)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        nquads = _sorted_lines(ox.serialize(dataset, format=NQ))
        del dataset, data
        union = ox.serialize((ox.Triple(q.subject, q.predicate, q.object)
                              for q in ox.parse(nquads, format=NQ)), format=NT)
        return cls(nquads, _sorted_lines(union, distinct=True))

    def quads(self) -> Iterator[ox.Quad]:
        """The dataset's quads in N-Quads order."""
        return ox.parse(self.nquads, format=NQ)

    def triples(self) -> Iterator[ox.Quad]:
        """The union's distinct triples, sorted (as default-graph quads)."""
        return ox.parse(self.ntriples, format=NT)

    def by_graph(self) -> Iterator[ox.Quad]:
        """The dataset's quads graph by graph (default graph first), each graph sorted."""
        for key in sorted(self._graph_lines):
            starts = self._starts
            chunk = b"".join(self.nquads[starts[i]:starts[i + 1]] for i in self._graph_lines[key])
            yield from ox.parse(chunk, format=NQ)

    @property
    def quad_count(self) -> int:
        return len(self._starts) - 1

    @property
    def triple_count(self) -> int:
        return self.ntriples.count(b"\n")

    @property
    def graphs(self) -> list[str]:
        """The named graph IRIs, sorted."""
        return sorted(key[1:-1] for key in self._graph_lines if key.startswith("<"))
