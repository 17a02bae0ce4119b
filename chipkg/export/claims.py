"""Each claim in two community formats: a nanopublication and a schema.org ClaimReview.

Nanopublications (nanopubs.trig) follow the nanopub guidelines: per claim a head
graph typing `<np>` as `np:Nanopublication` and naming its three graphs; the
assertion graph holds the proposition (the claim node's type, label, text and
what it is about); the provenance graph says where the assertion comes from
(`<np#assertion> prov:wasDerivedFrom` the source document, `prov:wasAttributedTo`
the party on whose record it stands when there is one) and carries the claim's
evidence level, confidence, hedging words, assessment and its quotes with their
selectors; the publication info gives the licence and the dataset it belongs
to. Blank nodes (quote selectors) become IRIs under the nanopublication, as the
guidelines ask (nanopubs are meant to be signed, and blank nodes cannot be).

ClaimReviews (claimreviews.jsonld) rate each claim with its evidence level's rank
on a 1-5 scale: 1 = denied (worst), 2 = unsupported, 3 = speculative, 4 = reported,
5 = officially confirmed (best). The rating says how well the claim is supported
by what its source shows, not whether the source is reliable.
"""

import json
from itertools import groupby
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import CK, OA, SCHEMA
from .canonical import Canonical

NP = "http://www.nanopub.org/nschema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
NP_BASE = "https://w3id.org/chipkg/np/"
KG_BASE = "https://w3id.org/chipkg/id/"
DATASET = "https://w3id.org/chipkg/dataset"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
ASSERTED = {RDF_TYPE, RDFS_LABEL, str(SCHEMA.text), str(SCHEMA.about)}
NP_PREFIXES = {"np": NP, "prov": PROV, "dcterms": DCT, "ck": str(CK), "kg": KG_BASE,
               "oa": str(OA), "schema": str(SCHEMA), "ev": "https://w3id.org/chipkg/evidence#",
               "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
               "xsd": "http://www.w3.org/2001/XMLSchema#"}
WORST, BEST = 1, 5


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


class _Index:
    """The triples the claim formats need, by subject, and the claims, sorted.

    Read in a few passes over the union (sorted by subject) rather than indexing all
    of it: the claims first, then what they point to (quotes, levels, sources, parties,
    activities), then the blank nodes those reach (a quote's selectors).
    """

    REFERENCES = {str(CK.hasQuote), str(CK.evidenceLevel), PROV + "wasDerivedFrom",
                  PROV + "wasAttributedTo", PROV + "wasGeneratedBy"}

    def __init__(self, canonical: Canonical):
        self.about: dict = {}
        claim_type = _n(str(CK.Claim))
        wanted: set = set()
        for subject, group in groupby(canonical.triples(), key=lambda t: t.subject):
            group = list(group)
            if any(t.predicate.value == RDF_TYPE and t.object == claim_type for t in group):
                self.about[subject] = group
                wanted.update(t.object for t in group if t.predicate.value in self.REFERENCES)
        self.claims = sorted(self.about, key=lambda s: s.value)
        wanted -= set(self.about)
        while wanted:
            found: set = set()
            for triple in canonical.triples():
                if triple.subject in wanted:
                    self.about.setdefault(triple.subject, []).append(triple)
                    if isinstance(triple.object, ox.BlankNode) and triple.object not in self.about:
                        found.add(triple.object)
            wanted = found - set(self.about)

    def values(self, subject, predicate: str) -> list:
        return [t.object for t in self.about.get(subject, ()) if t.predicate.value == predicate]

    def first(self, subject, predicate: str):
        found = self.values(subject, predicate)
        return found[0] if found else None

    def closure(self, start) -> list[ox.Triple]:
        """Triples of `start` and of the blank nodes it reaches (a quote's selectors)."""
        out, todo, seen = [], [start], set()
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for triple in self.about.get(node, ()):
                out.append(triple)
                if isinstance(triple.object, ox.BlankNode):
                    todo.append(triple.object)
        return out


def _local(claim: ox.NamedNode) -> str:
    value = claim.value
    return value[len(KG_BASE):] if value.startswith(KG_BASE) else value.rsplit("/", 1)[-1]


def nanopub_quads(index: _Index, claim: ox.NamedNode) -> list[ox.Quad]:
    uri = NP_BASE + _local(claim)
    np, head, assertion = _n(uri), _n(uri + "#Head"), _n(uri + "#assertion")
    provenance, pubinfo = _n(uri + "#provenance"), _n(uri + "#pubinfo")

    def skolem(term):
        return _n(f"{uri}#node-{term.value}") if isinstance(term, ox.BlankNode) else term

    quads = [ox.Quad(np, _n(RDF_TYPE), _n(NP + "Nanopublication"), head),
             ox.Quad(np, _n(NP + "hasAssertion"), assertion, head),
             ox.Quad(np, _n(NP + "hasProvenance"), provenance, head),
             ox.Quad(np, _n(NP + "hasPublicationInfo"), pubinfo, head)]
    own = index.about[claim]
    quads += [ox.Quad(t.subject, t.predicate, t.object, assertion) for t in own if t.predicate.value in ASSERTED]
    for source in index.values(claim, PROV + "wasDerivedFrom"):
        quads.append(ox.Quad(assertion, _n(PROV + "wasDerivedFrom"), source, provenance))
    for party in index.values(claim, PROV + "wasAttributedTo"):
        quads.append(ox.Quad(assertion, _n(PROV + "wasAttributedTo"), party, provenance))
    kept = [t for t in own if t.predicate.value not in ASSERTED]
    for quote in index.values(claim, str(CK.hasQuote)):
        kept += index.closure(quote)
    quads += [ox.Quad(skolem(t.subject), t.predicate, skolem(t.object), provenance) for t in kept]
    quads += [ox.Quad(np, _n(DCT + "license"), _n(LICENSE), pubinfo),
              ox.Quad(np, _n(DCT + "isPartOf"), _n(DATASET), pubinfo)]
    for activity in index.values(claim, PROV + "wasGeneratedBy"):
        quads.append(ox.Quad(np, _n(PROV + "wasGeneratedBy"), activity, pubinfo))
        date = index.first(activity, DCT + "date")
        if date is not None:
            quads.append(ox.Quad(np, _n(DCT + "created"), date, pubinfo))
    return quads


def claim_review(index: _Index, claim: ox.NamedNode) -> dict:
    level = index.first(claim, str(CK.evidenceLevel))
    rank = index.first(level, str(CK.rank)) if level is not None else None
    text = index.first(claim, str(SCHEMA.text))
    item: dict = {"@type": "Claim", "@id": claim.value}
    if text is not None:
        item["text"] = text.value
    sources = index.values(claim, PROV + "wasDerivedFrom")
    if sources:
        item["appearance"] = [_work(index, s) for s in sources]
    parties = index.values(claim, PROV + "wasAttributedTo")
    if parties:
        item["author"] = [_thing(index, p) for p in parties]
    review: dict = {"@type": "ClaimReview", "@id": claim.value + "#review",
                    "claimReviewed": text.value if text is not None else None,
                    "itemReviewed": item,
                    "author": {"@type": "Organization", "name": "chipkg developers"}}
    if review["claimReviewed"] is None:
        del review["claimReviewed"]
    if rank is not None:
        rating = {"@type": "Rating", "ratingValue": int(rank.value), "worstRating": WORST, "bestRating": BEST}
        label = index.first(level, SKOS_PREF)
        if label is not None:
            rating["alternateName"] = label.value
        note = index.first(claim, str(CK.assessmentNote))
        if note is not None:
            rating["ratingExplanation"] = note.value
        review["reviewRating"] = rating
    for activity in index.values(claim, PROV + "wasGeneratedBy"):
        date = index.first(activity, DCT + "date")
        if date is not None:
            review["datePublished"] = date.value
    return review


def _work(index: _Index, source) -> dict:
    work = {"@type": "CreativeWork", "@id": source.value}
    title = index.first(source, DCT + "title")
    if title is not None:
        work["name"] = title.value
    return work


def _thing(index: _Index, node) -> dict:
    thing = {"@id": node.value}
    label = index.first(node, RDFS_LABEL)
    if label is not None:
        thing["name"] = label.value
    return thing


def write_claim_formats(canonical: Canonical, folder: Path) -> int:
    """Write nanopubs.trig and claimreviews.jsonld; return the number of claims."""
    index = _Index(canonical)
    quads = [q for claim in index.claims for q in nanopub_quads(index, claim)]
    ordered = sorted(quads, key=lambda q: (str(q.graph_name), str(q)))
    ox.serialize(ordered, folder / "nanopubs.trig", format=ox.RdfFormat.TRIG, prefixes=NP_PREFIXES)
    with open(folder / "claimreviews.jsonld", "w", encoding="utf-8") as out:
        out.write('{"@context": {"@vocab": "https://schema.org/"},\n"@graph": [\n')
        out.write(",\n".join(json.dumps(claim_review(index, c), ensure_ascii=False) for c in index.claims))
        out.write("\n]}\n")
    return len(index.claims)
