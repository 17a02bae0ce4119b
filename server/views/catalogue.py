"""What views need to know about the loaded data, read once per dataset.

The sources (named graph → document, publication interval, publisher), the
graphs that are not a source's, the graphs of compiled derived values, and the
attestations of each claim with their graph, level and confidence.

This and `materialize` are the only server modules that read the store itself
rather than through the engine: a view is built from every quad, beyond any
row limit. A remote backend would build the view graph with SPARQL Update
instead (see docs/endpoint.md).
"""

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from chipkg.errors import UnusableInput
from chipkg.evidence import dates
from chipkg.namespaces import sparql_prologue

_LOCK = threading.Lock()


@dataclass(frozen=True)
class Source:
    graph: str
    document: str
    interval: tuple | None          # (first day, last day) of dcterms:issued, None when undated
    publisher: str | None


@dataclass(frozen=True)
class Attestation:
    node: str
    graph: str
    rank: int
    confidence: Decimal


@dataclass
class Catalogue:
    sources: dict[str, Source] = field(default_factory=dict)
    other_graphs: set[str] = field(default_factory=set)
    derived_graphs: set[str] = field(default_factory=set)
    attestations: dict[str, list[Attestation]] = field(default_factory=lambda: defaultdict(list))


def _rows(store: ox.Store, body: str):
    return store.query(sparql_prologue() + body)


def of(served) -> Catalogue:
    """The catalogue of the served dataset, built on first use."""
    with _LOCK:
        found = served.views.get("catalogue")
        if found is None:
            found = served.views["catalogue"] = build(served.dataset.store)
        return found


def build(store: ox.Store) -> Catalogue:
    found = Catalogue()
    for row in _rows(store, """SELECT ?g ?doc ?issued ?publisher WHERE { GRAPH ?g {
            ?doc a ck:SourceDocument .
            OPTIONAL { ?doc dcterms:issued ?issued } OPTIONAL { ?doc schema:publisher ?publisher } } }"""):
        interval = None
        if row["issued"] is not None:
            try:
                interval = dates.parse(row["issued"].value)[1:]
            except UnusableInput:
                interval = None          # a date not at day, month or year precision: undated
        found.sources.setdefault(row["g"].value, Source(
            row["g"].value, row["doc"].value, interval,
            row["publisher"].value if row["publisher"] is not None else None))
    for graph in store.named_graphs():
        if isinstance(graph, ox.NamedNode) and graph.value not in found.sources:
            found.other_graphs.add(graph.value)
    for row in _rows(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?c ck:derivationNote ?n } }"):
        found.derived_graphs.add(row["g"].value)
    for row in _rows(store, """SELECT ?claim ?att ?g ?rank ?confidence WHERE {
            GRAPH ?g { ?claim ck:hasAttestation ?att . ?att ck:evidenceLevel ?level ; ck:confidence ?confidence }
            ?level ck:rank ?rank } ORDER BY ?claim ?att"""):
        found.attestations[row["claim"].value].append(Attestation(
            row["att"].value, row["g"].value, int(row["rank"].value), Decimal(row["confidence"].value)))
    return found
