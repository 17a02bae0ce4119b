"""Building a view's one named graph from the loaded store, and caching it.

A view admits the default graph (the ontology, graph descriptions) and the
admitted source graphs, minus every graded node below the minimum level with
its quotes, selectors, attestations and blank-node values. Claims with
attestations get their level, confidence and conflict flag recomputed from the
admitted attestations only (`chipkg.evidence.derive`), so "as of 1 April" shows
what was known then; the stored derived values are never copied.

The work stays inside Oxigraph: each admitted graph is dumped as N-Triples and
bulk-loaded into the view graph, then one SPARQL Update removes what lies below
the level. Python touches only the attested claims.

Each view graph lives in a store of its own, beside the served one: in the
served store it would join the union default graph of every ordinary query.
Views are cached per served dataset, at most VIEW_CACHE_SIZE of them; the least
recently used is dropped to make room.
"""

import hashlib
import io
import threading
import time
from collections import OrderedDict

import pyoxigraph as ox

from chipkg.evidence.derive import Support, derive
from chipkg.evidence.levels import BY_RANK
from chipkg.namespaces import CK, EV, XSD, sparql_prologue

from .catalogue import Catalogue

PREFIX = "urn:chipkg:view:"
_LOCK = threading.Lock()

# Everything that belongs to a graded node below the level leaves with it. (Each branch
# binds ?node itself: a bare BIND would see ?node unbound and match every triple.)
PRUNE = """DELETE { GRAPH ?view { ?x ?p ?o } } WHERE { GRAPH ?view {
    ?node ck:evidenceLevel ?level . ?level ck:rank ?rank . FILTER (?rank < ?minimum)
    FILTER NOT EXISTS { ?node a ck:Attestation }        # an attestation goes or stays with its claim
    { ?node ck:evidenceLevel ?own BIND (?node AS ?x) } UNION { ?node ck:hasQuote ?x } UNION { ?node ck:hasQuote/oa:hasSelector ?x }
    UNION { ?node ck:hasAttestation ?x } UNION { ?node ck:hasAttestation/ck:hasQuote ?x }
    UNION { ?node ck:hasAttestation/ck:hasQuote/oa:hasSelector ?x }
    UNION { ?node ?link ?x FILTER (isBlank(?x)) }
    ?x ?p ?o } }"""
# The stored derived values of attested claims, replaced by the recomputed ones.
UNDERIVE = """DELETE { GRAPH ?view { ?claim ?p ?o } } WHERE { GRAPH ?view {
    ?claim ck:hasAttestation ?any ; ?p ?o
    FILTER (?p IN (ck:evidenceLevel, ck:confidence, ck:derivationNote, ck:inConflict)) } }"""


def key_of(admitted: tuple[str, ...], minimum: int) -> str:
    digest = hashlib.sha256("\n".join(admitted).encode()).hexdigest()[:16]
    return f"{PREFIX}{digest}:{minimum}"


def view_graph(served, found: Catalogue, admitted: tuple[str, ...], minimum: int,
               capacity: int) -> tuple[str, ox.Store]:
    """The IRI of the graph holding this view and its store, built first if not cached."""
    name = key_of(admitted, minimum)
    with _LOCK:
        cache: OrderedDict = served.views.setdefault("graphs", OrderedDict())
        if name in cache:
            cache.move_to_end(name)
            return name, cache[name]
        timings: dict[str, float] = {}
        store = build(served.dataset.store, found, admitted, minimum, ox.NamedNode(name), timings)
        served.views.setdefault("builds", {})[name] = timings       # seconds per phase, for bench/
        cache[name] = store
        while len(cache) > max(1, capacity):
            cache.popitem(last=False)
        return name, store


def build(source: ox.Store, found: Catalogue, admitted, minimum: int, graph: ox.NamedNode,
          timings: dict | None = None) -> ox.Store:
    timings = {} if timings is None else timings
    began = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal began
        now = time.perf_counter()
        timings[name] = round(now - began, 3)
        began = now

    buffer = io.BytesIO()
    source.dump(buffer, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    for name in admitted:
        if name not in found.derived_graphs:
            source.dump(buffer, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
    phase("dump_s")
    store = ox.Store()
    # One load, so a blank node dumped from two graphs stays one node.
    store.bulk_load(buffer.getvalue(), ox.RdfFormat.N_TRIPLES, to_graph=graph)
    phase("load_s")
    store.update(sparql_prologue() + UNDERIVE.replace("?view", f"<{graph.value}>"))
    store.extend(derived_quads(found, set(admitted), graph))
    phase("derive_s")
    if minimum > min(BY_RANK):
        store.update(sparql_prologue() + PRUNE.replace("?view", f"<{graph.value}>").replace(
            "?minimum", str(int(minimum))))
    phase("prune_s")
    return store


def derived_quads(found: Catalogue, admitted: set[str], graph: ox.NamedNode) -> list[ox.Quad]:
    """The level, confidence, note and conflict flag of each attested claim, from admitted sources."""
    quads = []
    for claim, items in sorted(found.attestations.items()):
        supports = []
        for a in items:
            if a.graph not in admitted:
                continue
            source = found.sources.get(a.graph)
            interval = source.interval if source else None
            span = (interval[0].isoformat(), interval[1].isoformat()) if interval else None
            supports.append(Support(a.graph, a.rank, a.confidence, span, source.publisher if source else None))
        if not supports:
            continue
        d = derive(supports)
        subject = ox.NamedNode(claim)
        quads += [
            ox.Quad(subject, ox.NamedNode(str(CK.evidenceLevel)), ox.NamedNode(str(EV[BY_RANK[d.rank].local])), graph),
            ox.Quad(subject, ox.NamedNode(str(CK.confidence)),
                    ox.Literal(format(d.confidence, "f"), datatype=ox.NamedNode(str(XSD.decimal))), graph),
            ox.Quad(subject, ox.NamedNode(str(CK.derivationNote)), ox.Literal(d.note, language="en"), graph)]
        if d.conflict:
            quads.append(ox.Quad(subject, ox.NamedNode(str(CK.inConflict)),
                                 ox.Literal("true", datatype=ox.NamedNode(str(XSD.boolean))), graph))
    return quads
