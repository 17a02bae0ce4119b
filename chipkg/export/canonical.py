"""Canonical form of a dataset: RDFC-1.0 blank-node labels and sorted statements.

Everything the export writes starts from `Canonical`, so every file's bytes
depend only on the dataset, never on parse order, hash seeds or the machine.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox


def _graph_key(quad: ox.Quad) -> str:
    # The default graph sorts first; named graphs by IRI.
    return "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)


def _sorted_lines(text: bytes | None) -> bytes:
    lines = (text or b"").splitlines(keepends=True)
    lines.sort()
    return b"".join(lines)


@dataclass
class Canonical:
    """The dataset's quads sorted two ways, and its union's triples sorted."""
    quads: list[ox.Quad]            # N-Quads order: the canonical N-Quads lines sorted
    by_graph: list[ox.Quad]         # graph, then statement: TriG writes each graph once
    triples: list[ox.Triple]        # the union of all graphs, distinct, sorted

    @classmethod
    def of(cls, quads: Iterable[ox.Quad]) -> "Canonical":
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        # Sorting serialised lines as bytes (code point order, as RDFC-1.0 sorts canonical
        # N-Quads) is far cheaper than sorting Python term objects; the lines are read back.
        ordered = list(ox.parse(_sorted_lines(ox.serialize(dataset, format=ox.RdfFormat.N_QUADS)),
                                format=ox.RdfFormat.N_QUADS))
        del dataset
        graphs: dict[str, list[ox.Quad]] = {}
        for quad in ordered:
            graphs.setdefault(_graph_key(quad), []).append(quad)
        by_graph = [q for name in sorted(graphs) for q in graphs[name]]
        del graphs
        union = ox.serialize({q.triple for q in ordered}, format=ox.RdfFormat.N_TRIPLES)
        triples = list(ox.parse(_sorted_lines(union), format=ox.RdfFormat.N_TRIPLES))
        return cls(ordered, by_graph, triples)

    @property
    def graphs(self) -> list[str]:
        """The named graph IRIs, sorted."""
        return sorted({q.graph_name.value for q in self.quads if isinstance(q.graph_name, ox.NamedNode)})
