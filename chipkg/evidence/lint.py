"""Hedge-aware lint: does each claim's level agree with how its source words it?

For every graded node with quotes (a claim without attestations, or an
attestation), the cue lexicon (`cues.yaml`) is matched on each quote; if a quote
holds no cue, on the sentence around it in the source (or on its prefix and
suffix when the file is not at hand). The first cue class found decides the
suggested level (see the lexicon's header); with no cue at all the suggestion
is "reported": the source states it as fact and names no party on record.
A finding is a node whose assigned level differs from the suggestion.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import yaml

from ..errors import UnusableInput
from ..namespaces import shorten
from ..validate.quotes import index_sources
from .levels import BY_IRI, level_of

LEXICON = Path(__file__).with_name("cues.yaml")
ENDS = re.compile(r"[.!?]\s|\n")


@dataclass(frozen=True)
class CueClass:
    name: str
    level: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Suggestion:
    level: str                  # notation
    cue: str | None             # the words that triggered it
    cue_class: str | None
    where: str                  # "quote", "sentence" or "none"


@dataclass
class Graded:
    node: str
    claim: str
    assigned: str
    quotes: list[tuple[str, str]] = field(default_factory=list)     # (exact, context)
    suggestion: Suggestion | None = None

    @property
    def agrees(self) -> bool:
        return self.suggestion.level == self.assigned


@lru_cache(maxsize=4)
def lexicon(path: Path = LEXICON) -> tuple[CueClass, ...]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        classes = []
        for entry in data["classes"]:
            words = "|".join(f"(?:{c})" for c in entry["cues"])
            classes.append(CueClass(entry["name"], level_of(entry["level"]).notation,
                                    re.compile(rf"\b(?:{words})\b", re.IGNORECASE)))
        return tuple(classes)
    except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as error:
        raise UnusableInput(f"cue lexicon unusable: {error}", file=str(path)) from None


def cues_in(text: str, classes=None) -> list[tuple[CueClass, str]]:
    """(class, words) of each cue in `text`, earlier classes first; nested matches dropped."""
    taken: list[tuple[int, int]] = []
    found = []
    for cue_class in classes or lexicon():
        for match in cue_class.pattern.finditer(text):
            if any(a <= match.start() and match.end() <= b for a, b in taken):
                continue
            taken.append(match.span())
            found.append((cue_class, match.group(0)))
    return found


def suggest(exact: str, context: str) -> Suggestion:
    for where, text in (("quote", exact), ("sentence", context)):
        found = cues_in(text)
        if found:
            cue_class, words = found[0]
            return Suggestion(cue_class.level, words, cue_class.name, where)
    return Suggestion("REP", None, None, "none")


def sentence_around(text: str, start: int, end: int) -> str:
    head = max((m.end() for m in ENDS.finditer(text, 0, start)), default=0)
    # A quote that ends its sentence ("... ship." ) must not pull in the next one.
    tail = ENDS.search(text, max(start, end - 1))
    return text[head:tail.start() + 1 if tail else len(text)]


PLAN = """PREFIX ck: <https://w3id.org/chipkg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT DISTINCT ?node ?claim ?level ?exact ?prefix ?suffix ?start ?end ?sha WHERE {
  { ?node a ck:Attestation . ?claim ck:hasAttestation ?node }
  UNION
  { ?node a ck:Claim . FILTER NOT EXISTS { ?node ck:hasAttestation ?any } BIND (?node AS ?claim) }
  ?node ck:evidenceLevel ?level ; ck:hasQuote ?quote .
  ?quote oa:hasSelector ?ts . ?ts oa:exact ?exact .
  OPTIONAL { ?ts oa:prefix ?prefix } OPTIONAL { ?ts oa:suffix ?suffix }
  OPTIONAL { ?quote oa:hasSelector ?ps . ?ps oa:start ?start ; oa:end ?end }
  OPTIONAL { ?quote oa:hasSource/ck:sha256 ?sha }
} ORDER BY ?node ?start"""


def graded_nodes(quads: list[ox.Quad], sources: Path | None) -> list[Graded]:
    store = ox.Store()
    store.extend(quads)
    files = index_sources(sources) if sources is not None and sources.is_dir() else {}
    texts: dict[str, str | None] = {}
    nodes: dict[str, Graded] = {}
    for row in store.query(PLAN, use_default_graph_as_union=True):
        level = BY_IRI.get(row["level"].value)
        if level is None:
            continue
        node = nodes.setdefault(row["node"].value, Graded(row["node"].value, row["claim"].value, level.notation))
        exact = row["exact"].value
        context = exact
        sha = row["sha"].value if row["sha"] is not None else None
        if sha is not None and sha not in texts:
            path = files.get(sha)
            texts[sha] = path.read_bytes().decode("utf-8", "replace") if path else None
        text = texts.get(sha)
        if text is not None and row["start"] is not None and row["end"] is not None:
            context = sentence_around(text, int(row["start"].value), int(row["end"].value))
        else:
            context = "".join(row[k].value if row[k] is not None else "" for k in ("prefix",)) + exact + (
                row["suffix"].value if row["suffix"] is not None else "")
        if (exact, context) not in node.quotes:
            node.quotes.append((exact, context))
    if not nodes:
        raise UnusableInput("nothing to lint: no claim or attestation with a level and a quote")
    for node in nodes.values():
        suggestions = [suggest(exact, context) for exact, context in node.quotes]
        # The quote with the most telling cue speaks for the node: quote cues before
        # sentence cues, then the lexicon's order.
        order = {c.name: i for i, c in enumerate(lexicon())}
        node.suggestion = min(suggestions, key=lambda s: ({"quote": 0, "sentence": 1, "none": 2}[s.where],
                                                          order.get(s.cue_class, 99)))
    return sorted(nodes.values(), key=lambda n: n.node)


def agreement(nodes: list[Graded]) -> dict[str, dict]:
    table: dict[str, dict] = {}
    for node in nodes:
        row = table.setdefault(node.assigned, {"graded": 0, "agree": 0})
        row["graded"] += 1
        row["agree"] += node.agrees
    for row in table.values():
        row["rate"] = round(row["agree"] / row["graded"], 3)
    return table


def finding_text(node: Graded) -> str:
    s = node.suggestion
    why = (f"cue {s.cue!r} ({s.cue_class}) in the {s.where}" if s.cue
           else "no cue in the quote or its sentence")
    return f"{shorten(node.node)}: graded {node.assigned}, the wording suggests {s.level} — {why}"
