"""The rule that gives a claim its current level and confidence from its attestations.

One claim, one attestation per source. The rule (docs/modeling.md, "Deriving a
claim's level") is applied at compile time and again for every as-of view, so
the claim's level is never written by hand:

1. A party on record (an officially confirmed or a denied attestation) outranks
   every report. If parties are on record, the latest of their statements by the
   source's publication date decides. A denial and a confirmation whose order is
   unknown (same date, or either undated) give the lower level.
2. Without a party on record, the strongest report decides (reported, then
   speculative, then unsupported).
3. Confidence starts from the highest confidence among the attestations at the
   deciding level (the lowest, for a denial); every further independent source
   at that level (another publisher) adds 0.05, never past the level's band.
   Denials and confirmations are not raised: one party on record is enough.
4. Attestations disagree (a conflict) when one denies what another confirms,
   reports or speculates, or one calls unsupported what another reports or
   confirms.

A claim with one attestation keeps that attestation's level and confidence.
"""

from dataclasses import dataclass
from decimal import Decimal

from .levels import BY_RANK

RAISE = Decimal("0.05")
CONF, REP, SPEC, UNSUP, DEN = 5, 4, 3, 2, 1


@dataclass(frozen=True)
class Support:
    """One attestation as the rule sees it."""
    source: str
    rank: int
    confidence: Decimal
    date: tuple | None          # (start, end) ISO days of the publication date's interval
    publisher: str | None


@dataclass(frozen=True)
class Derived:
    rank: int
    confidence: Decimal
    conflict: bool
    note: str


def in_conflict(ranks: set[int]) -> bool:
    return (DEN in ranks and bool(ranks & {CONF, REP, SPEC})) or (UNSUP in ranks and bool(ranks & {CONF, REP}))


def _latest_party(parties: list[Support]) -> tuple[int, str]:
    ranks = {s.rank for s in parties}
    if len(ranks) == 1:
        return ranks.pop(), "a party on record"
    if any(s.date is None for s in parties):
        return DEN, "parties on record disagree and an undated statement leaves the order unknown; the lower level is kept"
    last_start = max(s.date[0] for s in parties)
    # A statement is surely the latest only when it starts after every other one ends.
    final = [s for s in parties if s.date[0] == last_start]
    others = [s for s in parties if s not in final]
    if len({s.rank for s in final}) == 1 and all(o.date[1] < last_start for o in others):
        return final[0].rank, "the latest statement of a party on record"
    return DEN, "parties on record disagree and their order is uncertain; the lower level is kept"


def derive(supports: list[Support]) -> Derived:
    if not supports:
        raise ValueError("a claim needs at least one attestation")
    ranks = {s.rank for s in supports}
    conflict = in_conflict(ranks)
    if len(supports) == 1:
        only = supports[0]
        return Derived(only.rank, only.confidence, False, "one attestation: its level and confidence")
    parties = [s for s in supports if s.rank in (CONF, DEN)]
    if parties:
        rank, why = _latest_party(parties)
    else:
        rank, why = max(ranks), "the strongest report (no party on record)"
    deciding = [s for s in supports if s.rank == rank]
    level = BY_RANK[rank]
    if rank == DEN:
        confidence = min(s.confidence for s in deciding)
    else:
        confidence = max(s.confidence for s in deciding)
    if rank not in (CONF, DEN):
        publishers = {s.publisher for s in deciding if s.publisher}
        extra = max(0, len(publishers) - 1)
        confidence = min(Decimal(str(level.high)), confidence + RAISE * extra)
        if extra:
            why += f"; {extra} further independent source(s) raise the confidence"
    note = f"{len(supports)} attestations; level from {why}" + ("; the attestations conflict" if conflict else "")
    return Derived(rank, confidence, conflict, note)
