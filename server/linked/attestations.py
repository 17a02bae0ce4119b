"""A claim's history: each source's attestation of it, in date order, and whether they conflict.

A claim compiled from several sources (`chipkg compile`) has one ck:Attestation per
source, each with its own quotes, level and confidence; the claim's own level is
derived from them (docs/modeling.md) and `ck:inConflict` marks attestations that
disagree. The claim page shows them here, one per source, so a reader sees who said
what and when instead of one merged block of quotes. A claim of the hand-written graph
has no attestations: the page then shows the claim as its single source gave it.
"""

from dataclasses import dataclass, field

from . import present
from .present import Link, link
from .queries import select

ATTESTATIONS = """SELECT ?claim ?att ?attLabel ?source ?sourceLabel ?issued ?notation ?levelLabel ?rank
       ?conf ?party ?partyLabel ?note WHERE {
  ?claim ck:hasAttestation ?att .
  ?att ck:evidenceLevel ?level .
  ?level skos:notation ?notation ; rdfs:label ?levelLabel ; ck:rank ?rank .
  OPTIONAL { ?att rdfs:label ?attLabel }
  OPTIONAL { ?att ck:confidence ?conf }
  OPTIONAL { ?att prov:wasDerivedFrom ?source . ?source rdfs:label ?sourceLabel }
  OPTIONAL { ?att prov:wasDerivedFrom ?source }
  OPTIONAL { ?att prov:wasDerivedFrom ?source . ?source dcterms:issued ?issued }
  OPTIONAL { ?att prov:wasAttributedTo ?party . ?party rdfs:label ?partyLabel }
  OPTIONAL { ?att prov:wasAttributedTo ?party }
  OPTIONAL { ?att ck:assessmentNote ?note }
}"""
# Every OPTIONAL above starts from the bound ?att: one that started from ?source or ?party
# would, where those are unbound, match every labelled node of the store. Flat, not nested:
# Oxigraph evaluates a nested OPTIONAL group on its own, over the whole store.
ATTESTATION_QUOTES = """SELECT ?att ?quote ?exact ?prefix ?suffix WHERE {
  ?att ck:hasQuote ?quote . ?quote oa:hasSelector ?sel .
  ?sel a oa:TextQuoteSelector ; oa:exact ?exact .
  OPTIONAL { ?sel oa:prefix ?prefix }
  OPTIONAL { ?sel oa:suffix ?suffix }
}"""
CONFLICT = """SELECT ?claim ?conflict ?derivation WHERE {
  OPTIONAL { ?claim ck:inConflict ?conflict }
  OPTIONAL { ?claim ck:derivationNote ?derivation }
}"""


@dataclass
class Attestation:
    link: Link
    source: Link | None
    issued: str             # as precise as the source's date is known; "" when unknown
    notation: str
    level: str
    confidence: float | None
    word: str
    party: Link | None
    note: str
    quotes: list = field(default_factory=list)      # (prefix, exact, suffix)


@dataclass
class History:
    attestations: list
    conflict: bool
    derivation: str


def history(claim, ran: list) -> History | None:
    """The attestations of `claim` (a NamedNode) oldest first, undated ones last; None if it has none."""
    found = select("claim-attestations", {"claim": claim}, ATTESTATIONS)
    ran.append(found)
    if not found.rows:
        return None
    atts = list({r["att"].value: r["att"] for r in found.rows}.values())
    quotes = select("attestation-quotes", {"att": atts}, ATTESTATION_QUOTES)
    flags = select("claim-conflict", {"claim": claim}, CONFLICT)
    ran.extend([quotes, flags])
    by_attestation: dict[str, list] = {}
    for r in sorted(quotes.rows, key=lambda r: r["quote"].value):
        by_attestation.setdefault(r["att"].value, []).append(
            (_value(r.get("prefix")), r["exact"].value, _value(r.get("suffix"))))
    kept: dict[str, Attestation] = {}
    for r in sorted(found.rows, key=_oldest_first):
        if r["att"].value in kept:
            continue
        conf = present.confidence(r.get("conf"))
        kept[r["att"].value] = Attestation(
            link(r["att"], r.get("attLabel")), link(r.get("source"), r.get("sourceLabel")),
            present.text(r["issued"]) if r.get("issued") is not None else "",
            r["notation"].value, r["levelLabel"].value, conf, present.icd_word(conf),
            link(r.get("party"), r.get("partyLabel")), _value(r.get("note")),
            by_attestation.get(r["att"].value, []))
    flag = flags.rows[0] if flags.rows else {}
    return History(list(kept.values()), present.is_true(flag.get("conflict")), _value(flag.get("derivation")))


def _oldest_first(row: dict) -> tuple:
    issued = row.get("issued")
    span = present.date_span(issued.value, issued.datatype.value) if issued is not None else None
    # an undated source sorts last; a year sorts by its first day, before the months inside it
    return (span is None, span[0] if span else None, row["att"].value)


def _value(term) -> str:
    return term.value if term is not None else ""
