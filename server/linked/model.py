"""What an entity page shows, gathered from the page queries into plain objects.

One `Page` per IRI: label, types, facts, the claims concerning it grouped by
evidence level (most certain first), its deals, what links to it, and the
queries that produced all of it. The HTML template and the JSON form both
read this object, so the two never disagree.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from . import present
from .present import Link, link
from .queries import Ran, select

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
CK = "https://w3id.org/chipkg/ontology#"
ORG_TYPES = {CK + "Company", "http://www.w3.org/ns/org#Organization", "https://schema.org/Organization"}


@dataclass
class Quote:
    iri: str
    prefix: str
    pieces: list        # (text, is_hedge_cue)
    exact: str
    suffix: str
    start: int | None
    end: int | None


@dataclass
class Claim:
    link: Link
    text: str
    notation: str
    confidence: float | None
    word: str
    note: str
    source: Link | None
    reliability: str
    hedges: list = field(default_factory=list)
    quotes: list = field(default_factory=list)


@dataclass
class Level:
    notation: str
    label: str
    below_reported: bool
    claims: list


@dataclass
class Deal:
    link: Link
    notation: str | None
    level: str
    confidence: float | None
    word: str
    announced: str
    announced_by: list
    term: str
    parties: list
    types: list
    values: list
    capacities: list


@dataclass
class Page:
    iri: str
    label: str
    types: list
    facts: list         # (property Link, [Link or str])
    levels: list
    deals: list
    incoming: list      # (property Link, [Link])
    ran: list
    is_organization: bool

    def as_json(self) -> dict:
        found = asdict(self)
        found["ran"] = [{"name": r.name, "sparql": r.text,
                         "bindings": {k: v.value for k, v in r.bindings.items()}}
                        for r in self.ran]
        return found


def build(iri: str) -> Page:
    node = ox.NamedNode(iri)
    bound = {"e": node}
    facts = select("facts", bound)
    types = [row["o"] for row in facts.rows if row["p"].value == RDF_TYPE]
    type_iris = {t.value for t in types}
    is_org = bool(type_iris & ORG_TYPES)
    if CK + "Claim" in type_iris:      # a claim page shows the claim itself, graded
        claims, hedges = select("claim", {"claim": node}), select("claim-hedges", {"claim": node})
    else:
        claims, hedges = select("claims", bound), select("hedges", bound)
    incoming = select("incoming", bound)
    ran = [facts, claims, hedges, incoming]
    deals = []
    if is_org or CK + "Deal" in type_iris:
        found = select("deals", bound) if is_org else select("deal", {"deal": node})
        ran.append(found)
        deals = _deals(found)
    return Page(iri, _label(iri, facts), _unique([link(t, _label_of(facts, t)) for t in types]),
                _facts(facts), _levels(claims, hedges), deals, _incoming(incoming), ran, is_org)


def _label(iri: str, facts: Ran) -> str:
    for wanted in (RDFS_LABEL, SKOS_PREF):
        for row in facts.rows:
            if row["p"].value == wanted:
                return row["o"].value
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri


def _label_of(facts: Ran, term) -> ox.Literal | None:
    return next((row["olabel"] for row in facts.rows if row["o"] == term and row["olabel"]), None)


def _unique(items: list) -> list:
    seen, kept = set(), []
    for item in items:
        key = item.iri if isinstance(item, Link) else item
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def _facts(facts: Ran) -> list:
    by_property: dict[str, list] = defaultdict(list)
    properties: dict[str, Link] = {}
    blanks: dict[tuple, dict] = defaultdict(dict)
    for row in facts.rows:
        p = row["p"].value
        if p in (RDF_TYPE, RDFS_LABEL):
            continue
        properties.setdefault(p, link(row["p"], row["plabel"]))
        if isinstance(row["o"], ox.BlankNode):
            if row["bp"] is not None:
                blanks[(p, row["o"].value)][row["bp"].value] = row["bo"].value
            continue
        by_property[p].append(link(row["o"], row["olabel"]) if isinstance(row["o"], ox.NamedNode)
                              else present.text(row["o"]))
    for (p, _), props in blanks.items():
        by_property[p].append(present.show_amount(props))
    return [(properties[p], _unique(values)) for p, values in by_property.items()]


def _levels(claims: Ran, hedges: Ran) -> list:
    cues: dict[str, list] = defaultdict(list)
    for row in hedges.rows:
        cues[row["claim"].value].append(row["hedge"].value)
    found: dict[str, Claim] = {}
    labels: dict[str, str] = {}
    for row in claims.rows:
        key = row["claim"].value
        notation = row["notation"].value
        labels[notation] = row["levelLabel"].value
        claim = found.get(key)
        if claim is None:
            conf = present.confidence(row["conf"])
            claim = found[key] = Claim(
                link(row["claim"], row["label"]), _value(row["text"]), notation, conf,
                present.icd_word(conf), _value(row["note"]), link(row["source"], row["sourceLabel"]),
                _value(row["reliability"]), sorted(set(cues.get(key, []))))
        if row["quote"] is not None and all(q.iri != row["quote"].value for q in claim.quotes):
            exact = row["exact"].value
            claim.quotes.append(Quote(row["quote"].value, _value(row["prefix"]),
                                      present.segments(exact, claim.hedges), exact,
                                      _value(row["suffix"]), _int(row["start"]), _int(row["end"])))
    levels = []
    for notation in present.LEVELS:
        members = [c for c in found.values() if c.notation == notation]
        if members:
            levels.append(Level(notation, labels[notation], notation in present.BELOW_REPORTED,
                                members))
    return levels


def _value(term) -> str:
    return term.value if term is not None else ""


def _int(term) -> int | None:
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None


def _deals(found: Ran) -> list:
    deals: dict[str, dict] = {}
    for row in found.rows:
        key = row["deal"].value
        deal = deals.get(key)
        if deal is None:
            conf = present.confidence(row["conf"])
            announced = row["announced"]
            deal = deals[key] = {
                "link": link(row["deal"], row["label"]),
                "notation": _value(row["notation"]) or None, "level": _value(row["levelLabel"]),
                "confidence": conf, "word": present.icd_word(conf),
                "announced": present.text(announced) if announced is not None else "",
                "term": present.text(row["termv"]) if row["termv"] is not None else "",
                "parties": [], "types": [], "announced_by": [], "blank": defaultdict(dict)}
        p = row["p"].value if row["p"] is not None else None
        if p is None:
            continue
        if isinstance(row["o"], ox.BlankNode):
            if row["bp"] is not None:
                deal["blank"][(p, row["o"].value)][row["bp"].value] = row["bo"].value
            continue
        name = {CK + "party": "parties", CK + "dealType": "types", CK + "announcedBy": "announced_by"}
        if p in name:
            deal[name[p]].append(link(row["o"], row["olabel"]))
    built = []
    for deal in deals.values():
        blank = deal.pop("blank")
        values = [present.show_amount(v) for (p, _), v in blank.items() if p == CK + "dealValue"]
        capacities = [present.show_amount(v) for (p, _), v in blank.items() if p == CK + "capacity"]
        built.append(Deal(values=values, capacities=capacities,
                          **{k: _unique(v) if isinstance(v, list) else v for k, v in deal.items()}))
    return built


def _incoming(found: Ran) -> list:
    by_property: dict[str, list] = defaultdict(list)
    properties: dict[str, Link] = {}
    for row in found.rows:
        p = row["p"].value
        properties.setdefault(p, link(row["p"], row["plabel"]))
        by_property[p].append(link(row["s"], row["slabel"]))
    return [(properties[p], _unique(items)) for p, items in by_property.items()]
