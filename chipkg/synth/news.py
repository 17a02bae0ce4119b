"""The news of the synthetic graph generator (chipkg.synth): units of news (deals, chips,
person moves, organizations) and the claims that report them, each with its quote."""

from . import text as T
from .terms import (CK, EV, LABEL, OA, ORG, PROV, RDF_TYPE, SCHEMA, PlannedClaim, Source, decimal, en,
                          integer, iri_ref, literal, term, typed)
from .world import World


class Newsroom(World):
    """Claims, their quotes and the units of news a source is filled with."""

    # ------------------------------------------------------------ claims

    def claim(self, src: Source, pending: list[PlannedClaim], level: str, template: tuple,
              fields: dict, about: list[str], label: str) -> None:
        quote_text, claim_text, hedges = template
        sentence = quote_text.format(**fields)
        iri = self.next_id("claim", 7)
        c = PlannedClaim(iri, iri.replace("/claim-", "/quote-"), sentence)
        pending.append(c)
        s = iri_ref(iri)
        add = src.triples.append
        add(f"{s} {RDF_TYPE} {term(CK, 'Claim')}")
        add(f"{s} {LABEL} {en(label)}")
        add(f"{s} {term(SCHEMA, 'text')} {en(claim_text.format(**fields))}")
        for thing in dict.fromkeys(about):   # once each, in order
            add(f"{s} {term(SCHEMA, 'about')} {iri_ref(thing)}")
        add(f"{s} {term(CK, 'evidenceLevel')} {term(EV, level)}")
        add(f"{s} {term(CK, 'confidence')} {decimal(self.confidence(level))}")
        for hedge in hedges:
            add(f"{s} {term(CK, 'hedgeCue')} {literal(hedge)}")
        if self.rng.random() < 0.3:
            add(f"{s} {term(CK, 'eventDate')} {self.date_term()}")
        add(f"{s} {term(CK, 'assessmentNote')} {en(T.ASSESSMENT[level])}")
        add(f"{s} {term(PROV, 'wasDerivedFrom')} {iri_ref(src.iri)}")
        add(f"{s} {term(PROV, 'wasGeneratedBy')} {iri_ref(src.iri.replace('/src-', '/extraction-'))}")
        add(f"{s} {term(CK, 'hasQuote')} {iri_ref(c.quote_iri)}")
        self.summary.claims += 1
        self.summary.levels[level] += 1

    def place_quote(self, src: Source, c: PlannedClaim) -> None:
        """The quote's 12 triples, once the source text (and so the offsets) is known."""
        start, end = c.start, c.start + len(c.sentence)
        prefix, suffix = src.text[max(0, start - 32):start], src.text[end:end + 32]
        q, tq, tp = iri_ref(c.quote_iri), self.bnode(), self.bnode()
        src.triples += [
            f"{q} {RDF_TYPE} {term(CK, 'Quote')}",
            f"{q} {LABEL} {en('quote for claim ' + c.iri.rsplit('/', 1)[1])}",
            f"{q} {term(OA, 'hasSource')} {iri_ref(src.iri)}",
            f"{q} {term(OA, 'hasSelector')} {tq}",
            f"{q} {term(OA, 'hasSelector')} {tp}",
            f"{tq} {RDF_TYPE} {term(OA, 'TextQuoteSelector')}",
            f"{tq} {term(OA, 'exact')} {literal(c.sentence)}",
            f"{tq} {term(OA, 'prefix')} {literal(prefix)}",
            f"{tq} {term(OA, 'suffix')} {literal(suffix)}",
            f"{tp} {RDF_TYPE} {term(OA, 'TextPositionSelector')}",
            f"{tp} {term(OA, 'start')} {integer(start)}",
            f"{tp} {term(OA, 'end')} {integer(end)}",
        ]

    # ------------------------------------------------------------ units of news

    def deal_unit(self, src: Source, pending: list[PlannedClaim]) -> None:
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
        s = iri_ref(deal)
        add = src.triples.append
        add(f"{s} {RDF_TYPE} {term(CK, 'Deal')}")
        add(f"{s} {LABEL} {en(f'{a.name}–{b.name} {T.DEAL_KINDS[kind][0]}')}")
        for t in types:
            add(f"{s} {term(CK, 'dealType')} {term(CK, t)}")
        for org in parties:
            add(f"{s} {term(CK, 'party')} {iri_ref(org.iri)}")
        lexical, datatype, when = self.date()
        if level in ("OfficiallyConfirmed", "Reported") and self.rng.random() < 0.7:
            add(f"{s} {term(CK, 'announcedOn')} {typed(lexical, datatype)}")
            if level == "OfficiallyConfirmed":
                add(f"{s} {term(CK, 'announcedBy')} {iri_ref(a.iri)}")
        if chip:
            add(f"{s} {term(CK, 'concernsProduct')} {iri_ref(chip.iri)}")
        if kind in ("Investment", "SupplyAgreement", "StrategicAgreement") and self.rng.random() < 0.4:
            v = self.bnode()
            bound = self.pick(("minValue", "maxValue", "value"))
            add(f"{s} {term(CK, 'dealValue')} {v}")
            add(f"{v} {RDF_TYPE} {term(SCHEMA, 'MonetaryAmount')}")
            add(f"{v} {term(SCHEMA, bound)} {integer((1 + self.rng.randrange(200)) * 100_000_000)}")
            add(f"{v} {term(SCHEMA, 'currency')} {literal('USD')}")
        if kind == "ComputeCommitment":
            v = self.bnode()
            add(f"{s} {term(CK, 'capacity')} {v}")
            add(f"{v} {RDF_TYPE} {term(SCHEMA, 'QuantitativeValue')}")
            add(f"{v} {term(SCHEMA, 'maxValue')} {integer(gw)}")
            add(f"{v} {term(SCHEMA, 'unitText')} {literal('GW')}")
            if self.rng.random() < 0.5:
                add(f"{s} {term(CK, 'term')} {typed(f'P{2 + self.rng.randrange(9)}Y', 'duration')}")
        add(f"{s} {term(CK, 'scopeNote')} {en(what)}")
        add(f"{s} {term(CK, 'evidenceLevel')} {term(EV, level)}")
        add(f"{s} {term(CK, 'confidence')} {decimal(self.confidence(level))}")
        add(f"{s} {term(CK, 'assessmentNote')} {en(T.ASSESSMENT[level])}")
        add(f"{s} {term(PROV, 'wasDerivedFrom')} {iri_ref(src.iri)}")
        fields = {"A": a.name, "B": b.name, "what": what, "when": when}
        about = [deal] + [o.iri for o in parties] + ([chip.iri] if chip else [])
        label = f"{a.name} and {b.name}: {T.DEAL_KINDS[kind][0]}"
        self.claim(src, pending, level, self.pick(T.DEAL_QUOTES[level]), fields, about, label)
        if self.rng.random() < 0.5:  # a second source sentence on the same deal
            self.claim(src, pending, level, self.pick(T.DEAL_QUOTES[level]), fields, about, label)

    def chip_unit(self, src: Source, pending: list[PlannedClaim]) -> None:
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

    def move_unit(self, src: Source, pending: list[PlannedClaim]) -> None:
        person = self.next_id("person")
        move = self.next_id("move")
        name = f"{self.pick(T.FIRST_NAMES)} {self.pick(T.LAST_NAMES)}"
        o1 = self.weighted(self.designers)
        o2 = self.weighted(self.designers, exclude=(o1,))
        self.mention_org(src, o1)
        self.mention_org(src, o2)
        p, m = iri_ref(person), iri_ref(move)
        src.triples += [
            f"{p} {RDF_TYPE} {term(SCHEMA, 'Person')}",
            f"{p} {LABEL} {en(name)}",
            f"{m} {RDF_TYPE} {term(CK, 'PersonMove')}",
            f"{m} {LABEL} {en(f'{name} joins {o2.name} from {o1.name}')}",
            f"{m} {term(ORG, 'member')} {p}",
            f"{m} {term(ORG, 'organization')} {iri_ref(o2.iri)}",
            f"{m} {term(CK, 'fromOrganization')} {iri_ref(o1.iri)}",
        ]
        self.summary.moves += 1
        level = self.level()
        self.claim(src, pending, level, self.pick(T.MOVE_QUOTES[level]),
                   {"P": name, "O1": o1.name, "O2": o2.name}, [move, person, o2.iri, o1.iri],
                   f"{name} moves to {o2.name}")

    def org_unit(self, src: Source, pending: list[PlannedClaim]) -> None:
        org = self.weighted(self.orgs)
        self.mention_org(src, org)
        thing = self.pick(T.ORG_THINGS[self.pick(org.roles)])
        level = self.level()
        self.claim(src, pending, level, self.pick(T.ORG_QUOTES[level]),
                   {"O": org.name, "thing": thing, "when": self.date()[2]}, [org.iri],
                   f"{org.name}: {thing}")
