"""The world of the synthetic graph generator (chipkg.synth): its random draws, its
organizations and chips, each described once, in the first source that mentions it."""

import random
from bisect import bisect
from itertools import accumulate

from . import text as T
from .terms import (ALT_LABEL, CK, KG, LABEL, ORG, RDF_TYPE, Chip, Org, Source, Summary, en, iri_ref,
                          term, typed)


class World:
    """One seeded random generator and everything drawn from it that outlives a source."""

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

    def date_term(self) -> str:
        """A random date (see `date`) as a typed literal."""
        lexical, datatype, _ = self.date()
        return typed(lexical, datatype)

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
            s = iri_ref(org.iri)
            add = src.triples.append
            add(f"{s} {RDF_TYPE} {term(CK, 'Company')}")
            add(f"{s} {LABEL} {en(org.name)}")
            for role in org.roles:
                add(f"{s} {term(ORG, 'classification')} {term(CK, role)}")
            if len(org.roles) > 1:
                add(f"{s} {ALT_LABEL} {en(org.name.rsplit(' ', 1)[0])}")
        return org.name

    def family_of(self, src: Source, designer: Org) -> str:
        families = self.families_of.setdefault(designer.iri, [])
        if not families or (len(families) < 3 and self.rng.random() < 0.2):
            iri = self.next_id("family")
            families.append(iri)
            name = f"{designer.name.split(' ')[0]} {T.FAMILY_WORDS[len(families) - 1]}"
            s = iri_ref(iri)
            src.triples += [f"{s} {RDF_TYPE} {term(CK, 'ChipFamily')}",
                            f"{s} {LABEL} {en(name)}",
                            f"{s} {term(CK, 'offeredBy')} {iri_ref(designer.iri)}"]
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
        s = iri_ref(chip.iri)
        add = src.triples.append
        add(f"{s} {RDF_TYPE} {term(CK, 'Chip')}")
        add(f"{s} {LABEL} {en(chip.name)}")
        self.mention_org(src, chip.designer)
        add(f"{s} {term(CK, 'designedBy')} {iri_ref(chip.designer.iri)}")
        for purpose in chip.purposes:
            add(f"{s} {term(CK, 'purpose')} {term(CK, purpose)}")
        add(f"{s} {term(CK, 'developmentStage')} {term(CK, T.STAGES[chip.stage])}")
        if chip.foundry:
            self.mention_org(src, chip.foundry)
            add(f"{s} {term(CK, 'fabricatedBy')} {iri_ref(chip.foundry.iri)}")
        if self.rng.random() < 0.25:
            partner = self.weighted(self.by_role["ChipDesigner"], exclude=(chip.designer,))
            self.mention_org(src, partner)
            add(f"{s} {term(CK, 'designPartner')} {iri_ref(partner.iri)}")
        if self.rng.random() < 0.4:
            add(f"{s} {term(CK, 'inFamily')} {iri_ref(self.family_of(src, chip.designer))}")
        if self.rng.random() < 0.5:
            add(f"{s} {term(CK, 'announcedOn')} {self.date_term()}")
            add(f"{s} {term(CK, 'announcedBy')} {iri_ref(chip.designer.iri)}")
        reached = sorted({chip.stage, self.rng.randrange(chip.stage + 1)})
        planned = [chip.stage + 1] if chip.stage + 1 < len(T.STAGES) and self.rng.random() < 0.5 else []
        for stage in reached + planned:
            m = iri_ref(self.next_id("milestone", 7))
            add(f"{s} {term(CK, 'milestone')} {m}")
            add(f"{m} {RDF_TYPE} {term(CK, 'Milestone')}")
            suffix = " (planned)" if stage in planned else ""
            add(f"{m} {LABEL} {en(f'{chip.name} {T.STAGE_WORDS[stage]}{suffix}')}")
            add(f"{m} {term(CK, 'stage')} {term(CK, T.STAGES[stage])}")
            add(f"{m} {term(CK, 'planned')} {typed('true' if stage in planned else 'false', 'boolean')}")
            if stage in planned:
                add(f"{m} {term(CK, 'targetDate')} {self.date_term()}")
            elif self.rng.random() < 0.3:
                months = 6 + self.rng.randrange(30)
                add(f"{m} {term(CK, 'durationFromDesign')} {typed(f'P{months}M', 'duration')}")
