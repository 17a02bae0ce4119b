"""What changed between two versions of the dataset: claims and deals.

A version is an export folder (its chipkg.nq) or any dump file. Claims are
compared by IRI: added, removed, and changed in evidence level or confidence
(compared as numbers, so 0.70 and 0.7 are equal); deals likewise. Blank nodes
never matter here, so canonical labels that shift between versions do not show
up as changes.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from ..errors import UnusableInput
from ..namespaces import CK, shorten
from ..rdfio import read_quads

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
KINDS = {str(CK.Claim): "claims", str(CK.Deal): "deals"}
LEVEL, CONFIDENCE = str(CK.evidenceLevel), str(CK.confidence)


@dataclass(frozen=True)
class Grade:
    level: str | None
    confidence: str | None

    def same_as(self, other: "Grade") -> bool:
        return self.level == other.level and _number(self.confidence) == _number(other.confidence)


def _number(text: str | None):
    try:
        return Decimal(text) if text is not None else None
    except InvalidOperation:
        return text


def graded(triples: Iterable) -> dict[str, dict[str, Grade]]:
    """{"claims": {iri: Grade}, "deals": {iri: Grade}} of the union of the statements."""
    kinds: dict[str, str] = {}
    levels: dict[str, str] = {}
    confidences: dict[str, str] = {}
    for t in triples:
        if not isinstance(t.subject, ox.NamedNode):
            continue
        predicate = t.predicate.value
        if predicate == RDF_TYPE and t.object.value in KINDS:
            kinds[t.subject.value] = KINDS[t.object.value]
        elif predicate == LEVEL:
            levels[t.subject.value] = t.object.value
        elif predicate == CONFIDENCE:
            confidences[t.subject.value] = t.object.value
    found: dict[str, dict[str, Grade]] = {"claims": {}, "deals": {}}
    for iri, kind in kinds.items():
        found[kind][iri] = Grade(levels.get(iri), confidences.get(iri))
    return found


def load_version(path: Path) -> dict[str, dict[str, Grade]]:
    path = Path(path)
    if path.is_dir():
        dump = path / "chipkg.nq"
        if not dump.is_file():
            raise UnusableInput("not an export folder (no chipkg.nq)", file=str(path))
        path = dump
    return graded(read_quads([path]))


@dataclass
class Changes:
    added: dict[str, list[str]] = field(default_factory=lambda: {"claims": [], "deals": []})
    removed: dict[str, list[str]] = field(default_factory=lambda: {"claims": [], "deals": []})
    changed: dict[str, list[dict]] = field(default_factory=lambda: {"claims": [], "deals": []})

    @property
    def any(self) -> bool:
        return any(v for part in (self.added, self.removed, self.changed) for v in part.values())

    def as_json(self) -> dict:
        return {"changed": self.any, "added": self.added, "removed": self.removed,
                "regraded": self.changed}


def compare(old: dict[str, dict[str, Grade]], new: dict[str, dict[str, Grade]]) -> Changes:
    changes = Changes()
    for kind in ("claims", "deals"):
        before, after = old[kind], new[kind]
        changes.added[kind] = sorted(set(after) - set(before))
        changes.removed[kind] = sorted(set(before) - set(after))
        for iri in sorted(set(before) & set(after)):
            a, b = before[iri], after[iri]
            if not a.same_as(b):
                changes.changed[kind].append({
                    "iri": iri, "level": [a.level, b.level], "confidence": [a.confidence, b.confidence]})
    return changes


def _grade_text(level: str | None, confidence: str | None) -> str:
    return f"{shorten(level) if level else '(no level)'} {confidence or '(no confidence)'}"


def changes_text(changes: Changes, bullet: str = "  ") -> str:
    """Readable lines, one per change; "no changes" when there are none."""
    if not changes.any:
        return "no changes in claims or deals\n"
    lines = []
    for kind in ("claims", "deals"):
        singular = kind[:-1]
        lines += [f"{bullet}+ {singular} {shorten(i)}" for i in changes.added[kind]]
        lines += [f"{bullet}- {singular} {shorten(i)}" for i in changes.removed[kind]]
        for c in changes.changed[kind]:
            lines.append(f"{bullet}~ {singular} {shorten(c['iri'])}: {_grade_text(c['level'][0], c['confidence'][0])}"
                         f" -> {_grade_text(c['level'][1], c['confidence'][1])}")
    counts = ", ".join(f"{len(changes.added[k])} {k} added, {len(changes.removed[k])} removed, "
                       f"{len(changes.changed[k])} regraded" for k in ("claims", "deals"))
    return "\n".join(lines) + f"\n{counts}\n"
