"""What an entity page shows, gathered from the page queries into plain objects.

One `Page` per IRI: label, types, facts, the claims concerning it grouped by
evidence level (most certain first), its deals, what links to it, and the
queries that produced all of it. The HTML template and the JSON form both
read this object, so the two never disagree.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox
from flask import current_app

from . import attestations, present
from .present import Link, link
from .queries import CLAIM_DETAILS, DEAL_DETAILS, Ran, select

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
    other_sources: int = 0      # sources beyond `source` (compiled claims: one attestation each)
    conflict: bool = False      # its attestations disagree (ck:inConflict)


@dataclass
class Level:
    notation: str
    label: str
    below_reported: bool
    claims: list
    total: int          # claims at this level concerning the entity; more than shown when cut


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
    history: attestations.History | None = None    # a claim's attestations, when it has some

    def as_json(self) -> dict:
        found = asdict(self)
        found["ran"] = [{"name": r.name, "sparql": r.text, "bindings": {
            k: [n.value for n in v] if isinstance(v, list) else v.value for k, v in r.bindings.items()}}
            for r in self.ran]
        return found


def build(iri: str) -> Page:
    node = ox.NamedNode(iri)
    bound = {"e": node}
    facts = select("facts", bound)
    amounts = select("fact-amounts", bound)
    types = [row["o"] for row in facts.rows if row["p"].value == RDF_TYPE]
    type_iris = {t.value for t in types}
    is_org = bool(type_iris & ORG_TYPES)
    # a claim page shows the claim itself, graded; any other page the claims concerning it
    listed = select("one-claim", {"claim": node}) if CK + "Claim" in type_iris else \
        select("claim-list", bound)
    incoming = select("incoming", bound)
    ran = [facts, amounts, listed, incoming]
    levels = _levels(listed, ran)
    history = attestations.history(node, ran) if CK + "Claim" in type_iris else None
    deals = []
    if is_org or CK + "Deal" in type_iris:
        deals = _deals(select("deal-list", bound) if is_org else select("one-deal", {"deal": node}), ran)
    return Page(iri, _label(iri, facts), _unique([link(t, _label_of(facts, t)) for t in types]),
                _facts(facts, amounts), levels, deals, _incoming(incoming), ran, is_org, history)


def _most_certain_first(rows: list[dict], key: str) -> list[dict]:
    def order(row):
        rank = row.get("rank")
        return (-(int(rank.value) if rank is not None else 0),
                -(present.confidence(row.get("conf")) or 0.0), row[key].value)
    return sorted(rows, key=order)


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


def _facts(facts: Ran, amounts: Ran) -> list:
    by_property: dict[str, list] = defaultdict(list)
    properties: dict[str, Link] = {}
    blanks: dict[tuple, dict] = defaultdict(dict)
    for row in facts.rows:
        p = row["p"].value
        if p in (RDF_TYPE, RDFS_LABEL):
            continue
        properties.setdefault(p, link(row["p"], row["plabel"]))
        if isinstance(row["o"], ox.BlankNode):
            continue
        by_property[p].append(link(row["o"], row["olabel"]) if isinstance(row["o"], ox.NamedNode)
                              else present.text(row["o"]))
    for row in amounts.rows:
        blanks[(row["p"].value, row["o"].value)][row["bp"].value] = row["bo"].value
    for (p, _), props in blanks.items():
        if p not in properties:
            continue
        by_property[p].append(present.show_amount(props))
    return [(properties[p], _unique(values)) for p, values in by_property.items()]


def _levels(listed: Ran, ran: list) -> list:
    """Claims by level, most certain first; at most ENTITY_MAX_ITEMS per level get details."""
    cap = current_app.config["ENTITY_MAX_ITEMS"]
    by_level: dict[str, list] = defaultdict(list)
    for row in _most_certain_first(listed.rows, "claim"):
        by_level[row["notation"].value].append(row)
    shown = [row for rows in by_level.values() for row in rows[:cap]]
    if not shown:
        return []
    details = {name: select(name, {"claim": [row["claim"] for row in shown]})
               for name in CLAIM_DETAILS}
    ran.extend(details.values())
    core = {r["claim"].value: r for r in details["claim-core"].rows}
    sources = {r["claim"].value: r for r in details["claim-sources"].rows}
    source_count: dict[str, set] = defaultdict(set)
    for r in details["claim-sources"].rows:
        source_count[r["claim"].value].add(r["source"].value)
    cues: dict[str, list] = defaultdict(list)
    for r in details["claim-hedges"].rows:
        cues[r["claim"].value].append(r["hedge"].value)
    positions = {r["quote"].value: r for r in details["claim-positions"].rows}
    quotes: dict[str, list] = defaultdict(list)
    for r in details["claim-quotes"].rows:
        quotes[r["claim"].value].append(r)
    levels = []
    for notation in present.LEVELS:
        rows = by_level.get(notation, [])
        if not rows:
            continue
        claims = []
        for row in rows[:cap]:
            key = row["claim"].value
            about, source = core.get(key, {}), sources.get(key, {})
            conf = present.confidence(row.get("conf"))
            hedges = sorted(set(cues.get(key, [])))
            claim = Claim(link(row["claim"], about.get("label")), _value(about.get("text")), notation,
                          conf, present.icd_word(conf), _value(about.get("note")),
                          link(source.get("source"), source.get("sourceLabel")),
                          _value(source.get("reliability")), hedges,
                          other_sources=max(len(source_count.get(key, ())) - 1, 0),
                          conflict=present.is_true(about.get("conflict")))
            for q in quotes.get(key, []):
                if all(existing.iri != q["quote"].value for existing in claim.quotes):
                    pos = positions.get(q["quote"].value, {})
                    exact = q["exact"].value
                    claim.quotes.append(Quote(q["quote"].value, _value(q.get("prefix")),
                                              present.segments(exact, hedges), exact,
                                              _value(q.get("suffix")), _int(pos.get("start")),
                                              _int(pos.get("end"))))
            claims.append(claim)
        label = _value(core.get(rows[0]["claim"].value, {}).get("levelLabel")) or notation
        levels.append(Level(notation, label, notation in present.BELOW_REPORTED, claims, len(rows)))
    return levels


def _value(term) -> str:
    return term.value if term is not None else ""


def _int(term) -> int | None:
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None


def _deals(listed: Ran, ran: list) -> list:
    """The deals shown (at most ENTITY_MAX_ITEMS, most certain first), with their details."""
    ran.append(listed)
    chosen = _most_certain_first(listed.rows, "deal")[:current_app.config["ENTITY_MAX_ITEMS"]]
    if not chosen:
        return []
    details = {name: select(name, {"deal": [row["deal"] for row in chosen]}) for name in DEAL_DETAILS}
    ran.extend(details.values())
    core = {r["deal"].value: r for r in details["deal-core"].rows}
    links: dict[str, list] = defaultdict(list)
    for r in details["deal-links"].rows + details["deal-amounts"].rows:
        links[r["deal"].value].append(r)
    built = []
    for row in chosen:
        key = row["deal"].value
        about = core.get(key, {})
        conf = present.confidence(row.get("conf"))
        named = {"parties": [], "types": [], "announced_by": []}
        blank: dict[tuple, dict] = defaultdict(dict)
        for r in links.get(key, []):
            p = r["p"].value
            if isinstance(r["o"], ox.BlankNode):
                if r.get("bp") is not None:
                    blank[(p, r["o"].value)][r["bp"].value] = r["bo"].value
                continue
            field_name = {CK + "party": "parties", CK + "dealType": "types",
                          CK + "announcedBy": "announced_by"}.get(p)
            if field_name:
                named[field_name].append(link(r["o"], r.get("olabel")))
        built.append(Deal(
            link(row["deal"], about.get("label")), _value(about.get("notation")) or None,
            _value(about.get("levelLabel")), conf, present.icd_word(conf),
            present.text(about["announced"]) if about.get("announced") is not None else "",
            _unique(named["announced_by"]),
            present.text(about["termv"]) if about.get("termv") is not None else "",
            # sorted by label: the store's row order is not the reader's (and differs by backend)
            sorted(_unique(named["parties"]), key=lambda l: l.text.casefold()), _unique(named["types"]),
            [present.show_amount(v) for (p, _), v in blank.items() if p == CK + "dealValue"],
            [present.show_amount(v) for (p, _), v in blank.items() if p == CK + "capacity"]))
    return built


def _incoming(found: Ran) -> list:
    by_property: dict[str, list] = defaultdict(list)
    properties: dict[str, Link] = {}
    for row in sorted(found.rows, key=lambda r: (r["p"].value, r["s"].value)):
        p = row["p"].value
        properties.setdefault(p, link(row["p"], row["plabel"]))
        by_property[p].append(link(row["s"], row["slabel"]))
    return [(properties[p], _unique(items)) for p, items in by_property.items()]
