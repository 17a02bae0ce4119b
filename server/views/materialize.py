"""Building a view's one named graph from the loaded store, and caching it.

A view admits the default graph (the ontology, graph descriptions) and the
admitted source graphs, minus every graded node below the minimum level with
its quotes, selectors and values. Claims with attestations get their level,
confidence and conflict flag recomputed from the admitted attestations only
(`chipkg.evidence.derive`), so "as of 1 April" shows what was known then. The
stored derived values are never copied.

Each view graph lives in a store of its own, beside the served one: in the
served store it would join the union default graph of every ordinary query.
Views are cached per served dataset, at most VIEW_CACHE_SIZE of them; the
least recently used is dropped to make room.
"""

import hashlib
import threading
from collections import OrderedDict

import pyoxigraph as ox

from chipkg.evidence.derive import Support, derive
from chipkg.evidence.levels import BY_RANK
from chipkg.namespaces import CK, EV, XSD

from .catalogue import Catalogue

PREFIX = "urn:chipkg:view:"
DERIVED = {str(CK.evidenceLevel), str(CK.confidence), str(CK.derivationNote), str(CK.inConflict)}
_LOCK = threading.Lock()


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
        store = ox.Store()
        store.bulk_extend(view_quads(served.dataset.store, found, set(admitted), minimum, ox.NamedNode(name)))
        cache[name] = store
        while len(cache) > max(1, capacity):
            cache.popitem(last=False)
        return name, store


def _derived(found: Catalogue, admitted: set[str]) -> dict[str, tuple]:
    """claim → (rank, confidence, conflict, note) from the admitted attestations."""
    result = {}
    for claim, items in found.attestations.items():
        supports = []
        for a in items:
            if a.graph not in admitted:
                continue
            source = found.sources.get(a.graph)
            interval = source.interval if source else None
            span = (interval[0].isoformat(), interval[1].isoformat()) if interval else None
            supports.append(Support(a.graph, a.rank, a.confidence, span, source.publisher if source else None))
        if supports:
            d = derive(supports)
            result[claim] = (d.rank, d.confidence, d.conflict, d.note)
    return result


def view_quads(store: ox.Store, found: Catalogue, admitted: set[str], minimum: int, graph: ox.NamedNode):
    derived = _derived(found, admitted)
    below: set = set()
    for node, rank in found.ranks.items():
        if node in found.attestations:
            continue                                # a compiled claim: its derived rank decides
        if rank < minimum:
            below.add(node)
    for claim, items in found.attestations.items():
        rank = derived.get(claim, (0,))[0]
        if claim in derived and rank >= minimum:
            continue
        below.add(claim)
        below.update(a.node for a in items)
    dropped = {ox.NamedNode(n) for n in below}
    for node in below:
        dropped.update(found.parts.get(node, ()))
    recomputed = {ox.NamedNode(c) for c in found.attestations}
    for quad in store.quads_for_pattern(None, None, None, None):
        g = quad.graph_name
        if not isinstance(g, ox.DefaultGraph) and g.value not in admitted:
            continue
        if quad.subject in dropped:
            continue
        if quad.subject in recomputed and quad.predicate.value in DERIVED:
            continue
        yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)
    for claim, (rank, confidence, conflict, note) in sorted(derived.items()):
        if rank < minimum:
            continue
        subject = ox.NamedNode(claim)
        yield ox.Quad(subject, ox.NamedNode(str(CK.evidenceLevel)), ox.NamedNode(str(EV[BY_RANK[rank].local])), graph)
        yield ox.Quad(subject, ox.NamedNode(str(CK.confidence)),
                      ox.Literal(format(confidence, "f"), datatype=ox.NamedNode(str(XSD.decimal))), graph)
        yield ox.Quad(subject, ox.NamedNode(str(CK.derivationNote)), ox.Literal(note, language="en"), graph)
        if conflict:
            yield ox.Quad(subject, ox.NamedNode(str(CK.inConflict)),
                          ox.Literal("true", datatype=ox.NamedNode(str(XSD.boolean))), graph)
