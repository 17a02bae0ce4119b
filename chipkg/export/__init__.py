"""Linked-data export: the whole dataset, written deterministically and atomically.

`export_dataset(quads, DIR)` writes every dump (N-Quads and TriG with one named
graph per source, the union as Turtle, N-Triples, RDF/XML and JSON-LD), the
JSON-LD context, one nanopublication per claim, schema.org ClaimReviews, a DCAT +
VoID description and a manifest into a fresh folder, then points DIR at it in one
atomic step (`publish`). Blank nodes are labelled by RDFC-1.0 and statements are
sorted, so the same input gives the same bytes on every run and machine, and a
dump can be cited by its checksum and diffed.
"""

from .build import export_dataset, read_manifest

__all__ = ["export_dataset", "read_manifest"]
