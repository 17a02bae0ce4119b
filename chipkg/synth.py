"""`chipkg synth`: deterministic synthetic graphs of the chipkg ontology, for benchmarks.

The same --triples and --seed give a byte-identical file (on one Python version):
everything comes from one `random.Random(seed)` and is written in a fixed order.

What a graph holds, following the modelling pattern of kg/*.trig:
  * one named graph per synthetic source document (a ck:SourceDocument with its
    ck:sha256, title, publisher, reliability, and the prov:Activity that extracted it),
    plus two default-graph triples per source linking the graph to its document;
  * companies (ck:Company) with one to three org:classification roles, chosen with a
    Zipf-like popularity so a few organizations appear in many deals;
  * chips (ck:Chip) with designer, purpose, development stage, milestones, sometimes a
    design partner, a foundry and a family (ck:ChipFamily);
  * deals (ck:Deal) with two or three parties, one or two deal types, evidence level,
    confidence inside the level's band, sometimes value, capacity, term and date;
  * person moves (ck:PersonMove);
  * claims (ck:Claim) about deals, chips, moves and organizations at all five evidence
    levels, each with its verbatim quote (ck:Quote with a TextQuoteSelector and a
    TextPositionSelector) taken from the synthetic text of its source document.

Each entity is described once, in the graph of the first source that mentions it, so
the number of quads written equals the number of distinct triples of the union.
The size is the requested number of triples to within about one claim (~26 triples).
With a sources folder, the text of each document is written there, so quote
verification (`chipkg validate --sources DIR`) checks every quote against real bytes.
"""

import hashlib
import random
import time
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from . import synth_text as T
from .rdfio import write_atomically

CK = "https://w3id.org/chipkg/ontology#"
EV = "https://w3id.org/chipkg/evidence#"
KG = "https://w3id.org/chipkg/id/"
GRAPH = "https://w3id.org/chipkg/graph/"
XSD = "http://www.w3.org/2001/XMLSchema#"

OUTPUT_SUFFIXES = (".nq", ".trig")
MIN_TRIPLES = 100


def _iri(value: str) -> str:
    return f"<{value}>"


def _p(namespace: str, local: str) -> str:
    return f"<{namespace}{local}>"


RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
COMMENT = "<http://www.w3.org/2000/01/rdf-schema#comment>"
ALT_LABEL = "<http://www.w3.org/2004/02/skos/core#altLabel>"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
ORG = "http://www.w3.org/ns/org#"

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _str(text: str) -> str:
    """A plain (xsd:string) literal in N-Triples syntax."""
    return '"' + text.translate(_ESCAPES) + '"'


def _en(text: str) -> str:
    return _str(text) + "@en"


def _typed(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^<{XSD}{datatype}>'


def _int(value: int) -> str:
    return _typed(str(value), "integer")


def _dec(hundredths: int) -> str:
    return _typed(f"{hundredths // 100}.{hundredths % 100:02d}", "decimal")


# ---------------------------------------------------------------- the model being generated

@dataclass
class Org:
    iri: str
    name: str
    roles: tuple[str, ...]


@dataclass
class Chip:
    iri: str
    name: str
    designer: Org
    stage: int                 # index into STAGES
    purposes: tuple[str, ...]
    foundry: Org | None


@dataclass
class Source:
    """One synthetic source document: its graph, its text and its triples."""

    number: int
    graph: str
    iri: str
    file_name: str
    title: str = ""
    text: str = ""
    sha256: str = ""
    triples: list[str] = field(default_factory=list)     # "<s> <p> <o>" in the source's graph
    default: list[str] = field(default_factory=list)     # default-graph triples


@dataclass
class Summary:
    triples: int = 0
    sources: int = 0
    organizations: int = 0
    chips: int = 0
    deals: int = 0
    claims: int = 0
    moves: int = 0
    levels: dict[str, int] = field(default_factory=lambda: {level: 0 for level in T.LEVELS})
    seconds: float = 0.0


@dataclass
class _Claim:
    """A claim planned before its source's text exists; the quote is placed afterwards."""

    iri: str
    quote_iri: str
    sentence: str
    start: int = -1


class _Generator:
    def __init__(self, triples: int, seed: int):
        self.budget = triples
        self.rng = random.Random(seed)
        self.summary = Summary()
        self.defined: set[str] = set()
        self.counter = {"chip": 0, "deal": 0, "claim": 0, "person": 0, "move": 0, "family": 0,
                        "milestone": 0, "bnode": 0}
        self.orgs = self._organizations(max(12, round(0.4 * triples ** 0.5)))
        self.by_role = {role: [o for o in self.orgs if role in o.roles] for role in T.ROLES}
        self.designers = [o for o in self.orgs if {"ChipDesigner", "ModelLab"} & set(o.roles)]
        self.buyers = [o for o in self.orgs if {"ChipDesigner", "ModelLab", "CloudProvider"} & set(o.roles)]
        rank = {o.iri: index for index, o in enumerate(self.orgs)}
        self.cum = {id(pool): list(accumulate(1.0 / (1 + rank[o.iri]) ** 0.9 for o in pool))
                    for pool in [self.orgs, self.designers, self.buyers, *self.by_role.values()]}
        self.chips_of: dict[str, list[Chip]] = {}
        self.families_of: dict[str, list[str]] = {}
        self.chip_names: set[str] = set()
        self.level_cum = list(accumulate(T.LEVEL_WEIGHTS))

    # ------------------------------------------------------------ random helpers

    def weighted(self, pool: list[Org], exclude: tuple[Org, ...] = ()) -> Org:
        """A Zipf-like draw from one of the pools made in __init__: earlier organizations (in
        creation order) are more popular."""
        cum = self.cum[id(pool)]
        for _ in range(8):
            chosen = pool[min(bisect(cum, self.rng.random() * cum[-1]), len(pool) - 1)]
            if chosen not in exclude:
                return chosen
        rest = [o for o in pool if o not in exclude] or [o for o in self.orgs if o not in exclude]
        return rest[self.rng.randrange(len(rest))]

    def level(self) -> str:
        return T.LEVELS[min(bisect(self.level_cum, self.rng.random() * self.level_cum[-1]), 4)]

    def confidence(self, level: str) -> int:
        low, high = T.BANDS[level]
        return low + 5 * self.rng.randrange((high - low) // 5 + 1)

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def date(self) -> tuple[str, str, str]:
        """(lexical form, XSD datatype, words) at a random precision."""
        year = 2023 + self.rng.randrange(5)
        month = 1 + self.rng.randrange(12)
        kind = self.rng.random()
        if kind < 0.55:
            day = 1 + self.rng.randrange(28)
            return f"{year}-{month:02d}-{day:02d}", "date", f"on {T.MONTHS[month - 1]} {day}, {year}"
        if kind < 0.85:
            return f"{year}-{month:02d}", "gYearMonth", f"in {T.MONTHS[month - 1]} {year}"
        return str(year), "gYear", f"in {year}"

    def bnode(self) -> str:
        self.counter["bnode"] += 1
        return f"_:b{self.counter['bnode']}"

    def next_id(self, kind: str, width: int = 6) -> str:
        self.counter[kind] += 1
        return f"{KG}{kind}-{self.counter[kind]:0{width}d}"

    # ------------------------------------------------------------ the universe of organizations

    def _organizations(self, count: int) -> list[Org]:
        fixed = (("ModelLab", "ChipDesigner"), ("Foundry", "MemoryMaker", "ChipDesigner"),
                 ("CloudProvider", "ChipDesigner", "ModelLab"), ("ChipDesigner",), ("Foundry",),
                 ("MemoryMaker",), ("ModelLab",), ("CloudProvider",), ("Publisher",),
                 ("Publisher", "CloudProvider"), ("ChipDesigner", "Foundry"),
                 ("ModelLab", "CloudProvider"))
        stems = len(T.ORG_HEADS) * len(T.ORG_MIDDLES) * len(T.ORG_TAILS)
        order = self.rng.sample(range(stems), min(count, stems))
        role_cum = list(accumulate(T.ROLE_WEIGHTS))
        orgs = []
        for index in range(count):
            if index < len(fixed):
                roles = fixed[index]
            else:
                roles = [T.ROLES[min(bisect(role_cum, self.rng.random() * role_cum[-1]), 5)]]
                for chance in (0.35, 0.10):
                    if self.rng.random() < chance:
                        extra = self.pick(T.ROLES)
                        if extra not in roles:
                            roles.append(extra)
                roles = tuple(roles)
            stem_number = order[index % len(order)]
            head, rest = divmod(stem_number, len(T.ORG_MIDDLES) * len(T.ORG_TAILS))
            middle, tail = divmod(rest, len(T.ORG_TAILS))
            name = T.ORG_HEADS[head] + T.ORG_MIDDLES[middle] + T.ORG_TAILS[tail]
            if index >= len(order):
                name += f" {index // len(order) + 1}"
            name += " " + T.ROLE_SUFFIX[roles[0]]
            orgs.append(Org(f"{KG}org-{index + 1:06d}", name, roles))
        return orgs

    # ------------------------------------------------------------ describing entities once

    def mention_org(self, src: Source, org: Org) -> str:
        if org.iri not in self.defined:
            self.defined.add(org.iri)
            self.summary.organizations += 1
            s = _iri(org.iri)
            add = src.triples.append
            add(f"{s} {RDF_TYPE} {_p(CK, 'Company')}")
            add(f"{s} {LABEL} {_en(org.name)}")
            for role in org.roles:
                add(f"{s} {_p(ORG, 'classification')} {_p(CK, role)}")
            if len(org.roles) > 1:
                add(f"{s} {ALT_LABEL} {_en(org.name.rsplit(' ', 1)[0])}")
        return org.name

    def family_of(self, src: Source, designer: Org) -> str:
        families = self.families_of.setdefault(designer.iri, [])
        if not families or (len(families) < 3 and self.rng.random() < 0.2):
            iri = self.next_id("family")
            families.append(iri)
            name = f"{designer.name.split(' ')[0]} {T.FAMILY_WORDS[len(families) - 1]}"
            s = _iri(iri)
            src.triples += [f"{s} {RDF_TYPE} {_p(CK, 'ChipFamily')}",
                            f"{s} {LABEL} {_en(name)}",
                            f"{s} {_p(CK, 'offeredBy')} {_iri(designer.iri)}"]
            self.mention_org(src, designer)
            return iri
        return self.pick(families)

    def chip_for(self, src: Source, designer: Org | None = None) -> Chip:
        """An existing chip of the designer (often), or a new one described in this source."""
        designer = designer or self.weighted(self.designers)
        existing = self.chips_of.setdefault(designer.iri, [])
        if existing and self.rng.random() < 0.55:
            return self.pick(existing)
        while True:
            name = f"{self.pick(T.CHIP_WORDS)} {1 + self.rng.randrange(9)}" + \
                self.pick(("", "", "i", "X", "e"))
            if name not in self.chip_names:
                break
            name += f"-{self.rng.randrange(100)}"
            if name not in self.chip_names:
                break
        self.chip_names.add(name)
        stage = self.rng.randrange(len(T.STAGES))
        foundry = self.weighted(self.by_role["Foundry"]) if stage >= 2 and self.rng.random() < 0.6 else None
        chip = Chip(self.next_id("chip"), name, designer, stage, self.pick(T.PURPOSES), foundry)
        existing.append(chip)
        self.summary.chips += 1
        self._describe_chip(src, chip)
        return chip

    def _describe_chip(self, src: Source, chip: Chip) -> None:
        s = _iri(chip.iri)
        add = src.triples.append
        add(f"{s} {RDF_TYPE} {_p(CK, 'Chip')}")
        add(f"{s} {LABEL} {_en(chip.name)}")
        self.mention_org(src, chip.designer)
        add(f"{s} {_p(CK, 'designedBy')} {_iri(chip.designer.iri)}")
        for purpose in chip.purposes:
            add(f"{s} {_p(CK, 'purpose')} {_p(CK, purpose)}")
        add(f"{s} {_p(CK, 'developmentStage')} {_p(CK, T.STAGES[chip.stage])}")
        if chip.foundry:
            self.mention_org(src, chip.foundry)
            add(f"{s} {_p(CK, 'fabricatedBy')} {_iri(chip.foundry.iri)}")
        if self.rng.random() < 0.25:
            partner = self.weighted(self.by_role["ChipDesigner"], exclude=(chip.designer,))
            self.mention_org(src, partner)
            add(f"{s} {_p(CK, 'designPartner')} {_iri(partner.iri)}")
        if self.rng.random() < 0.4:
            add(f"{s} {_p(CK, 'inFamily')} {_iri(self.family_of(src, chip.designer))}")
        if self.rng.random() < 0.5:
            lexical, datatype, _ = self.date()
            add(f"{s} {_p(CK, 'announcedOn')} {_typed(lexical, datatype)}")
            add(f"{s} {_p(CK, 'announcedBy')} {_iri(chip.designer.iri)}")
        reached = sorted({chip.stage, self.rng.randrange(chip.stage + 1)})
        planned = [chip.stage + 1] if chip.stage + 1 < len(T.STAGES) and self.rng.random() < 0.5 else []
        for stage in reached + planned:
            m = _iri(self.next_id("milestone", 7))
            add(f"{s} {_p(CK, 'milestone')} {m}")
            add(f"{m} {RDF_TYPE} {_p(CK, 'Milestone')}")
            suffix = " (planned)" if stage in planned else ""
            add(f"{m} {LABEL} {_en(f'{chip.name} {T.STAGE_WORDS[stage]}{suffix}')}")
            add(f"{m} {_p(CK, 'stage')} {_p(CK, T.STAGES[stage])}")
            add(f"{m} {_p(CK, 'planned')} {_typed('true' if stage in planned else 'false', 'boolean')}")
            if stage in planned:
                lexical, datatype, _ = self.date()
                add(f"{m} {_p(CK, 'targetDate')} {_typed(lexical, datatype)}")
            elif self.rng.random() < 0.3:
                months = 6 + self.rng.randrange(30)
                add(f"{m} {_p(CK, 'durationFromDesign')} {_typed(f'P{months}M', 'duration')}")

    # ------------------------------------------------------------ claims

    def claim(self, src: Source, pending: list[_Claim], level: str, template: tuple,
              fields: dict, about: list[str], label: str) -> None:
        quote_text, claim_text, hedges = template
        sentence = quote_text.format(**fields)
        iri = self.next_id("claim", 7)
        c = _Claim(iri, iri.replace("/claim-", "/quote-"), sentence)
        pending.append(c)
        s = _iri(iri)
        add = src.triples.append
        add(f"{s} {RDF_TYPE} {_p(CK, 'Claim')}")
        add(f"{s} {LABEL} {_en(label)}")
        add(f"{s} {_p(SCHEMA, 'text')} {_en(claim_text.format(**fields))}")
        for thing in dict.fromkeys(about):   # once each, in order
            add(f"{s} {_p(SCHEMA, 'about')} {_iri(thing)}")
        add(f"{s} {_p(CK, 'evidenceLevel')} {_p(EV, level)}")
        add(f"{s} {_p(CK, 'confidence')} {_dec(self.confidence(level))}")
        for hedge in hedges:
            add(f"{s} {_p(CK, 'hedgeCue')} {_str(hedge)}")
        if self.rng.random() < 0.3:
            lexical, datatype, _ = self.date()
            add(f"{s} {_p(CK, 'eventDate')} {_typed(lexical, datatype)}")
        add(f"{s} {_p(CK, 'assessmentNote')} {_en(T.ASSESSMENT[level])}")
        add(f"{s} {_p(PROV, 'wasDerivedFrom')} {_iri(src.iri)}")
        add(f"{s} {_p(PROV, 'wasGeneratedBy')} {_iri(src.iri.replace('/src-', '/extraction-'))}")
        add(f"{s} {_p(CK, 'hasQuote')} {_iri(c.quote_iri)}")
        self.summary.claims += 1
        self.summary.levels[level] += 1

    def place_quote(self, src: Source, c: _Claim) -> None:
        """The quote's 12 triples, once the source text (and so the offsets) is known."""
        start, end = c.start, c.start + len(c.sentence)
        prefix, suffix = src.text[max(0, start - 32):start], src.text[end:end + 32]
        q, tq, tp = _iri(c.quote_iri), self.bnode(), self.bnode()
        src.triples += [
            f"{q} {RDF_TYPE} {_p(CK, 'Quote')}",
            f"{q} {LABEL} {_en('quote for claim ' + c.iri.rsplit('/', 1)[1])}",
            f"{q} {_p(OA, 'hasSource')} {_iri(src.iri)}",
            f"{q} {_p(OA, 'hasSelector')} {tq}",
            f"{q} {_p(OA, 'hasSelector')} {tp}",
            f"{tq} {RDF_TYPE} {_p(OA, 'TextQuoteSelector')}",
            f"{tq} {_p(OA, 'exact')} {_str(c.sentence)}",
            f"{tq} {_p(OA, 'prefix')} {_str(prefix)}",
            f"{tq} {_p(OA, 'suffix')} {_str(suffix)}",
            f"{tp} {RDF_TYPE} {_p(OA, 'TextPositionSelector')}",
            f"{tp} {_p(OA, 'start')} {_int(start)}",
            f"{tp} {_p(OA, 'end')} {_int(end)}",
        ]

    # ------------------------------------------------------------ units of news

    def deal_unit(self, src: Source, pending: list[_Claim]) -> None:
        kind = self.pick(tuple(T.DEAL_KINDS))
        chip = None
        if kind in ("FoundryOrder", "CoDevelopment"):
            chip = self.chip_for(src)
            a = chip.designer
            own_fab = chip.foundry is None or chip.foundry is a
            b = (self.weighted(self.by_role["Foundry"], exclude=(a,)) if own_fab else chip.foundry) \
                if kind == "FoundryOrder" else self.weighted(self.by_role["ChipDesigner"], exclude=(a,))
        elif kind == "SupplyAgreement":
            a = self.weighted(self.by_role["MemoryMaker"])
            b = self.weighted(self.buyers, exclude=(a,))
        elif kind == "ComputeCommitment":
            a = self.weighted(self.by_role["ModelLab"])
            b = self.weighted(self.by_role["CloudProvider"], exclude=(a,))
        else:
            a = self.weighted(self.orgs)
            b = self.weighted(self.orgs, exclude=(a,))
        parties = [a, b]
        if self.rng.random() < 0.15:
            parties.append(self.weighted(self.orgs, exclude=(a, b)))
        for org in parties:
            self.mention_org(src, org)
        types = [kind]
        if kind != "StrategicAgreement" and self.rng.random() < 0.3:
            types.append("StrategicAgreement")
        level = self.level()
        gw = 1 + self.rng.randrange(9)
        what = T.DEAL_KINDS[kind][1].format(chip=chip.name if chip else "", gw=gw,
                                            product=self.pick(T.MEMORY_PRODUCTS))
        deal = self.next_id("deal")
        self.summary.deals += 1
        s = _iri(deal)
        add = src.triples.append
        add(f"{s} {RDF_TYPE} {_p(CK, 'Deal')}")
        add(f"{s} {LABEL} {_en(f'{a.name}–{b.name} {T.DEAL_KINDS[kind][0]}')}")
        for t in types:
            add(f"{s} {_p(CK, 'dealType')} {_p(CK, t)}")
        for org in parties:
            add(f"{s} {_p(CK, 'party')} {_iri(org.iri)}")
        lexical, datatype, when = self.date()
        if level in ("OfficiallyConfirmed", "Reported") and self.rng.random() < 0.7:
            add(f"{s} {_p(CK, 'announcedOn')} {_typed(lexical, datatype)}")
            if level == "OfficiallyConfirmed":
                add(f"{s} {_p(CK, 'announcedBy')} {_iri(a.iri)}")
        if chip:
            add(f"{s} {_p(CK, 'concernsProduct')} {_iri(chip.iri)}")
        if kind in ("Investment", "SupplyAgreement", "StrategicAgreement") and self.rng.random() < 0.4:
            v = self.bnode()
            bound = self.pick(("minValue", "maxValue", "value"))
            add(f"{s} {_p(CK, 'dealValue')} {v}")
            add(f"{v} {RDF_TYPE} {_p(SCHEMA, 'MonetaryAmount')}")
            add(f"{v} {_p(SCHEMA, bound)} {_int((1 + self.rng.randrange(200)) * 100_000_000)}")
            add(f"{v} {_p(SCHEMA, 'currency')} {_str('USD')}")
        if kind == "ComputeCommitment":
            v = self.bnode()
            add(f"{s} {_p(CK, 'capacity')} {v}")
            add(f"{v} {RDF_TYPE} {_p(SCHEMA, 'QuantitativeValue')}")
            add(f"{v} {_p(SCHEMA, 'maxValue')} {_int(gw)}")
            add(f"{v} {_p(SCHEMA, 'unitText')} {_str('GW')}")
            if self.rng.random() < 0.5:
                add(f"{s} {_p(CK, 'term')} {_typed(f'P{2 + self.rng.randrange(9)}Y', 'duration')}")
        add(f"{s} {_p(CK, 'scopeNote')} {_en(what)}")
        add(f"{s} {_p(CK, 'evidenceLevel')} {_p(EV, level)}")
        add(f"{s} {_p(CK, 'confidence')} {_dec(self.confidence(level))}")
        add(f"{s} {_p(CK, 'assessmentNote')} {_en(T.ASSESSMENT[level])}")
        add(f"{s} {_p(PROV, 'wasDerivedFrom')} {_iri(src.iri)}")
        fields = {"A": a.name, "B": b.name, "what": what, "when": when}
        about = [deal] + [o.iri for o in parties] + ([chip.iri] if chip else [])
        label = f"{a.name} and {b.name}: {T.DEAL_KINDS[kind][0]}"
        self.claim(src, pending, level, self.pick(T.DEAL_QUOTES[level]), fields, about, label)
        if self.rng.random() < 0.5:  # a second source sentence on the same deal
            self.claim(src, pending, level, self.pick(T.DEAL_QUOTES[level]), fields, about, label)

    def chip_unit(self, src: Source, pending: list[_Claim]) -> None:
        chip = self.chip_for(src)
        foundry = chip.foundry or self.weighted(self.by_role["Foundry"])
        self.mention_org(src, foundry)
        nxt = min(chip.stage + 1, len(T.STAGES) - 1)
        fields = {"D": chip.designer.name, "C": chip.name, "stage": T.STAGE_WORDS[chip.stage],
                  "next": T.STAGE_WORDS[nxt], "purpose": T.PURPOSE_WORDS[chip.purposes],
                  "F": foundry.name}
        for _ in range(1 + (self.rng.random() < 0.4)):
            level = self.level()
            template = self.pick(T.CHIP_QUOTES[level])
            about = [chip.iri, chip.designer.iri] + ([foundry.iri] if "{F}" in template[0] else [])
            self.claim(src, pending, level, template, fields, about, f"{chip.name} ({chip.designer.name})")

    def move_unit(self, src: Source, pending: list[_Claim]) -> None:
        person = self.next_id("person")
        move = self.next_id("move")
        name = f"{self.pick(T.FIRST_NAMES)} {self.pick(T.LAST_NAMES)}"
        o1 = self.weighted(self.designers)
        o2 = self.weighted(self.designers, exclude=(o1,))
        self.mention_org(src, o1)
        self.mention_org(src, o2)
        p, m = _iri(person), _iri(move)
        src.triples += [
            f"{p} {RDF_TYPE} {_p(SCHEMA, 'Person')}",
            f"{p} {LABEL} {_en(name)}",
            f"{m} {RDF_TYPE} {_p(CK, 'PersonMove')}",
            f"{m} {LABEL} {_en(f'{name} joins {o2.name} from {o1.name}')}",
            f"{m} {_p(ORG, 'member')} {p}",
            f"{m} {_p(ORG, 'organization')} {_iri(o2.iri)}",
            f"{m} {_p(CK, 'fromOrganization')} {_iri(o1.iri)}",
        ]
        self.summary.moves += 1
        level = self.level()
        self.claim(src, pending, level, self.pick(T.MOVE_QUOTES[level]),
                   {"P": name, "O1": o1.name, "O2": o2.name}, [move, person, o2.iri, o1.iri],
                   f"{name} moves to {o2.name}")

    def org_unit(self, src: Source, pending: list[_Claim]) -> None:
        org = self.weighted(self.orgs)
        self.mention_org(src, org)
        thing = self.pick(T.ORG_THINGS[self.pick(org.roles)])
        level = self.level()
        self.claim(src, pending, level, self.pick(T.ORG_QUOTES[level]),
                   {"O": org.name, "thing": thing, "when": self.date()[2]}, [org.iri],
                   f"{org.name}: {thing}")

    # ------------------------------------------------------------ sources

    def sources(self) -> Iterator[Source]:
        count = 0
        while True:
            remaining = self.budget - count
            if remaining < 60 and count > 0:
                return
            number = self.summary.sources + 1
            src = Source(number, f"{GRAPH}src-{number:06d}", f"{KG}src-{number:06d}",
                         f"src-{number:06d}.txt")
            self.summary.sources += 1
            self._fill(src, remaining)
            count += len(src.triples) + len(src.default)
            self.summary.triples = count
            yield src

    def _fill(self, src: Source, remaining: int) -> None:
        publisher = self.weighted(self.by_role["Publisher"])
        self.mention_org(src, publisher)
        republisher = self.weighted(self.by_role["Publisher"], exclude=(publisher,)) \
            if self.rng.random() < 0.2 else None
        if republisher:
            self.mention_org(src, republisher)
        head = len(src.triples)
        fixed = 18 + (republisher is not None)        # source + activity + default graph
        pending: list[_Claim] = []
        target = min(remaining, 80 + self.rng.randrange(500))
        units = (self.deal_unit, self.chip_unit, self.move_unit, self.org_unit)
        unit_cum = list(accumulate((0.45, 0.25, 0.08, 0.22)))
        while True:
            used = len(src.triples) + 12 * len(pending) + fixed
            if pending and used >= target:
                break
            if remaining - used < 150:       # near the end of the budget: small units only
                self.org_unit(src, pending)
            else:
                units[min(bisect(unit_cum, self.rng.random() * unit_cum[-1]), 3)](src, pending)
        self._write_text(src, pending, publisher)
        for c in pending:
            self.place_quote(src, c)
        self._describe_source(src, publisher, republisher, head)

    def _write_text(self, src: Source, pending: list[_Claim], publisher: Org) -> None:
        names = [o.name for o in self.orgs if o.name in pending[0].sentence] or [publisher.name]
        src.title = self.pick(T.HEADLINES).format(A=names[0], B=names[-1] if len(names) > 1
                                                  else self.weighted(self.orgs).name)
        parts = [src.title, "\n\n"]
        length = len(src.title) + 2
        for index, c in enumerate(pending):
            if index and self.rng.random() < 0.3:
                parts.append("\n\n")
                length += 2
            elif index:
                parts.append(" ")
                length += 1
            for _ in range(self.rng.randrange(3)):
                filler = self.pick(T.FILLERS) + " "
                parts.append(filler)
                length += len(filler)
            c.start = length
            parts.append(c.sentence)
            length += len(c.sentence)
        parts.append(f" {self.pick(T.FILLERS)}\n\n© {publisher.name}. All rights reserved.\n")
        src.text = "".join(parts)
        src.sha256 = hashlib.sha256(src.text.encode("utf-8")).hexdigest()

    def _describe_source(self, src: Source, publisher: Org, republisher: Org | None, head: int) -> None:
        s = _iri(src.iri)
        a = _iri(src.iri.replace("/src-", "/extraction-"))
        issued, datatype, _ = self.date()
        lines = [
            f"{s} {RDF_TYPE} {_p(CK, 'SourceDocument')}",
            f"{s} {LABEL} {_en(f'{publisher.name}: {src.title}')}",
            f"{s} {_iri(DCT + 'title')} {_en(src.title)}",
            f"{s} {_p(SCHEMA, 'publisher')} {_iri(publisher.iri)}",
            f"{s} {_p(SCHEMA, 'author')} {_iri(publisher.iri)}",
            f"{s} {_p(CK, 'sha256')} {_str(src.sha256)}",
            f"{s} {_iri(DCT + 'language')} {_str('en')}",
            f"{s} {_iri(DCT + 'format')} {_str('text/plain; charset=utf-8')}",
            f"{s} {_iri(DCT + 'issued')} {_typed(issued, datatype)}",
            f"{s} {_p(CK, 'sourceReliability')} {_p(CK, 'Reliability' + self.pick(T.RELIABILITY))}",
            f"{s} {COMMENT} {_en('Synthetic source document made by chipkg synth for benchmarks.')}",
            f"{a} {RDF_TYPE} {_p(PROV, 'Activity')}",
            f"{a} {LABEL} {_en(f'Extraction of claims from {src.file_name}')}",
            f"{a} {_iri(DCT + 'date')} {_typed(issued[:4] + '-12-31', 'date')}",
            f"{a} {_p(PROV, 'used')} {s}",
            f"{a} {_p(PROV, 'startedAtTime')} {_typed(issued[:4] + '-12-31T09:00:00Z', 'dateTime')}",
        ]
        if republisher:
            lines.append(f"{s} {_p(CK, 'republisher')} {_iri(republisher.iri)}")
        src.triples[head:head] = lines
        src.default += [f"{_iri(src.graph)} {_iri(DCT + 'source')} {s}",
                        f"{_iri(src.graph)} {LABEL} {_en('Claims and deals extracted from ' + src.title)}"]


def generate(triples: int, seed: int) -> tuple[Iterator[Source], Summary]:
    """The sources of a synthetic graph, lazily, and the summary they fill in as they go."""
    generator = _Generator(triples, seed)
    return generator.sources(), generator.summary


def _nquads(sources: Iterator[Source]) -> Iterator[bytes]:
    for src in sources:
        g = f" {_iri(src.graph)} .\n"
        yield ("".join(f"{t} .\n" for t in src.default) + g.join(src.triples) + g).encode("utf-8")


def _trig(sources: Iterator[Source]) -> Iterator[bytes]:
    yield (b"# Synthetic chipkg graph made by `chipkg synth`: one named graph per source.\n")
    for src in sources:
        body = "".join(f"{t} .\n" for t in src.default)
        body += f"{_iri(src.graph)} {{\n" + "".join(f"  {t} .\n" for t in src.triples) + "}\n"
        yield body.encode("utf-8")


def write_synthetic(output: Path, triples: int, seed: int, sources_dir: Path | None = None) -> Summary:
    """Write a synthetic graph (N-Quads or TriG by extension), atomically; return its summary."""
    output = Path(output)
    if output.suffix not in OUTPUT_SUFFIXES:
        raise ValueError(f"output must end in {' or '.join(OUTPUT_SUFFIXES)} (named graphs are kept)")
    began = time.perf_counter()
    sources, summary = generate(triples, seed)
    if sources_dir is not None:
        sources_dir = Path(sources_dir)
        sources_dir.mkdir(parents=True, exist_ok=True)
        sources = _saving(sources, sources_dir)
    write_atomically(output, (_nquads if output.suffix == ".nq" else _trig)(sources))
    summary.seconds = time.perf_counter() - began
    return summary


def _saving(sources: Iterator[Source], folder: Path) -> Iterator[Source]:
    for src in sources:
        path = folder / src.file_name
        data = src.text.encode("utf-8")
        if not (path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data):
            write_atomically(path, data)
        yield src


# ---------------------------------------------------------------- the command

def _command():
    import click

    @click.command()
    @click.option("--triples", "-n", required=True, type=click.IntRange(min=MIN_TRIPLES),
                  help="About how many triples to write (within about one claim, ~26 triples).")
    @click.option("--seed", "-s", default=0, show_default=True, type=click.IntRange(min=0),
                  help="Random seed: the same --triples and --seed give the same bytes.")
    @click.option("--output", "-o", required=True, type=click.Path(path_type=Path, dir_okay=False),
                  help="File to write: .nq (N-Quads, fastest) or .trig. Written atomically.")
    @click.option("--sources-dir", type=click.Path(path_type=Path, file_okay=False),
                  help="Also write each synthetic source document's text here, so "
                       "`chipkg validate --sources DIR` can verify every quote.")
    def synth(triples: int, seed: int, output: Path, sources_dir: Path | None) -> None:
        """Write a deterministic synthetic graph of the chipkg ontology (data only, no ontology).

        Organizations with several roles, chips, deals, person moves and claims at all five
        evidence levels with anchored quotes, one named graph per synthetic source document;
        valid under the shapes. For benchmarks and tests.
        """
        if output.suffix not in OUTPUT_SUFFIXES:
            raise click.BadParameter(f"must end in {' or '.join(OUTPUT_SUFFIXES)}, got {output.name!r}",
                                     param_hint="--output")
        summary = write_synthetic(output, triples, seed, sources_dir)
        levels = ", ".join(f"{k} {v}" for k, v in summary.levels.items())
        click.echo(f"wrote {output}: {summary.triples} triples, {summary.sources} sources (named graphs), "
                   f"{summary.organizations} organizations, {summary.chips} chips, {summary.deals} deals, "
                   f"{summary.moves} person moves, {summary.claims} claims ({levels}) "
                   f"in {summary.seconds:.2f} s", err=True)

    return synth


synth = _command()
