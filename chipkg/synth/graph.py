"""The synthetic graph generator (chipkg.synth): source documents, one named graph each,
filled with news until the requested number of triples is reached."""

import hashlib
from bisect import bisect
from collections.abc import Iterator
from itertools import accumulate

from . import text as T
from .news import Newsroom
from .terms import (CK, COMMENT, DCT, GRAPH, KG, LABEL, PROV, RDF_TYPE, SCHEMA, Org, PlannedClaim,
                          Source, Summary, en, iri_ref, literal, term, typed)


class Generator(Newsroom):
    """The sources of one synthetic graph, in order."""

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
        pending: list[PlannedClaim] = []
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

    def _write_text(self, src: Source, pending: list[PlannedClaim], publisher: Org) -> None:
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
        s = iri_ref(src.iri)
        a = iri_ref(src.iri.replace("/src-", "/extraction-"))
        issued, datatype, _ = self.date()
        lines = [
            f"{s} {RDF_TYPE} {term(CK, 'SourceDocument')}",
            f"{s} {LABEL} {en(f'{publisher.name}: {src.title}')}",
            f"{s} {term(DCT, 'title')} {en(src.title)}",
            f"{s} {term(SCHEMA, 'publisher')} {iri_ref(publisher.iri)}",
            f"{s} {term(SCHEMA, 'author')} {iri_ref(publisher.iri)}",
            f"{s} {term(CK, 'sha256')} {literal(src.sha256)}",
            f"{s} {term(DCT, 'language')} {literal('en')}",
            f"{s} {term(DCT, 'format')} {literal('text/plain; charset=utf-8')}",
            f"{s} {term(DCT, 'issued')} {typed(issued, datatype)}",
            f"{s} {term(CK, 'sourceReliability')} {term(CK, 'Reliability' + self.pick(T.RELIABILITY))}",
            f"{s} {COMMENT} {en('Synthetic source document made by chipkg synth for benchmarks.')}",
            f"{a} {RDF_TYPE} {term(PROV, 'Activity')}",
            f"{a} {LABEL} {en(f'Extraction of claims from {src.file_name}')}",
            f"{a} {term(DCT, 'date')} {typed(issued[:4] + '-12-31', 'date')}",
            f"{a} {term(PROV, 'used')} {s}",
            f"{a} {term(PROV, 'startedAtTime')} {typed(issued[:4] + '-12-31T09:00:00Z', 'dateTime')}",
        ]
        if republisher:
            lines.append(f"{s} {term(CK, 'republisher')} {iri_ref(republisher.iri)}")
        src.triples[head:head] = lines
        src.default += [f"{iri_ref(src.graph)} {term(DCT, 'source')} {s}",
                        f"{iri_ref(src.graph)} {LABEL} {en('Claims and deals extracted from ' + src.title)}"]


def generate(triples: int, seed: int) -> tuple[Iterator[Source], Summary]:
    """The sources of a synthetic graph, lazily, and the summary they fill in as they go."""
    generator = Generator(triples, seed)
    return generator.sources(), generator.summary
