"""How terms read on a page: labels, dates at their precision, confidence words, amounts.

Pure functions, shared by the entity pages, the claims browser, the pictures and
the result tables, so a date or a confidence reads the same everywhere.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox
from flask import current_app

from chipkg.namespaces import shorten

XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "https://schema.org/"

# The evidence levels by notation, most certain first (ontology/evidence.ttl).
LEVELS = ("CONF", "REP", "SPEC", "UNSUP", "DEN")
LEVEL_IRIS = {n: f"https://w3id.org/chipkg/evidence#{local}" for n, local in zip(
    LEVELS, ("OfficiallyConfirmed", "Reported", "Speculative", "Unsupported", "Denied"))}
BELOW_REPORTED = {"SPEC", "UNSUP", "DEN"}
LEVEL_COLOURS = {"CONF": "#1a7f37", "REP": "#0550ae", "SPEC": "#9a6700", "UNSUP": "#cf222e",
                 "DEN": "#6e40c9", None: "#57606a"}

# ICD 203 expressions of likelihood: (upper bound, exclusive, word).
ICD_203 = ((0.05, "almost no chance"), (0.20, "very unlikely"), (0.45, "unlikely"),
           (0.55, "roughly even chance"), (0.80, "likely"), (0.95, "very likely"),
           (1.01, "almost certain"))


def icd_word(confidence: float | None) -> str:
    if confidence is None:
        return "no confidence given"
    return next(word for bound, word in ICD_203 if confidence < bound)


def local_path(iri: str) -> str | None:
    """The path on this server that answers for `iri`, or None if it is not one of ours."""
    base = current_app.config["PUBLIC_BASE"]
    for space in ("id/", "graph/"):
        prefix = base + space
        if iri.startswith(prefix) and len(iri) > len(prefix):
            return "/" + space + iri[len(prefix):]
    return None


ONTOLOGY = "https://w3id.org/chipkg/ontology#"
EVIDENCE = "https://w3id.org/chipkg/evidence#"


def term_path(iri: str) -> str | None:
    """Where a vocabulary IRI is explained: an evidence level's claims (the claims browser,
    which shows the level's definition and band), else the ontology or evidence-scheme
    documentation at its hash."""
    for notation, level in LEVEL_IRIS.items():
        if iri == level:
            return f"/claims?level={notation}"
    if iri.startswith(ONTOLOGY) and len(iri) > len(ONTOLOGY):
        return "/ontology#" + iri[len(ONTOLOGY):]
    if iri.startswith(EVIDENCE) and len(iri) > len(EVIDENCE):
        return "/evidence#" + iri[len(EVIDENCE):]
    return None


def data_iri(space: str, local: str) -> str:
    return current_app.config["PUBLIC_BASE"] + space + "/" + local


def text(term) -> str:
    """A literal's text, an IRI's prefixed name, a blank node's label."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value)
    if isinstance(term, ox.Literal):
        return show_literal(term)
    return str(term)


def show_literal(term: ox.Literal) -> str:
    datatype = term.datatype.value
    if datatype in (XSD + "date", XSD + "gYearMonth", XSD + "gYear"):
        return show_date(term.value, datatype)
    if datatype == XSD + "duration":
        return show_duration(term.value)
    if datatype == XSD + "boolean":
        return "yes" if term.value == "true" else "no"
    return term.value


MONTHS = list(calendar.month_name)


def show_date(lexical: str, datatype: str) -> str:
    """"2026-04"^^gYearMonth reads "April 2026"; a gYear reads "2026"; a date "24 June 2026"."""
    try:
        if datatype == XSD + "gYear":
            return str(int(lexical[:4]))
        if datatype == XSD + "gYearMonth":
            return f"{MONTHS[int(lexical[5:7])]} {int(lexical[:4])}"
        day = date.fromisoformat(lexical[:10])
        return f"{day.day} {MONTHS[day.month]} {day.year}"
    except (ValueError, IndexError):
        return lexical


def date_span(lexical: str, datatype: str) -> tuple[date, date] | None:
    """The first and last day a date of this precision covers (a month is a month long)."""
    try:
        year = int(lexical[:4])
        if datatype == XSD + "gYear":
            return date(year, 1, 1), date(year, 12, 31)
        if datatype == XSD + "gYearMonth":
            month = int(lexical[5:7])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        day = date.fromisoformat(lexical[:10])
        return day, day
    except (ValueError, IndexError):
        return None


_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$")


def show_duration(lexical: str) -> str:
    found = _DURATION.match(lexical)
    if not found or not any(found.groups()):
        return lexical
    parts = [f"{n} {unit}{'' if n == '1' else 's'}" for n, unit in
             zip(found.groups(), ("year", "month", "day")) if n]
    return ", ".join(parts)


def show_amount(props: dict[str, str]) -> str:
    """A schema:MonetaryAmount or QuantitativeValue as written: "at least 100000000000 USD"."""
    unit = props.get(SCHEMA + "currency") or props.get(SCHEMA + "unitText") or ""
    parts = []
    if SCHEMA + "value" in props:
        parts.append(_number(props[SCHEMA + "value"]))
    if SCHEMA + "minValue" in props:
        parts.append("at least " + _number(props[SCHEMA + "minValue"]))
    if SCHEMA + "maxValue" in props:
        parts.append("up to " + _number(props[SCHEMA + "maxValue"]))
    return (" and ".join(parts) + (" " + unit if unit else "")).strip() or "(no value given)"


def _number(lexical: str) -> str:
    return f"{int(lexical):,}" if re.fullmatch(r"-?\d+", lexical) else lexical


def is_true(term) -> bool:
    """An xsd:boolean that is true; also "1", which is how Virtuoso answers any boolean."""
    return term is not None and term.value in ("true", "1")


def confidence(term) -> float | None:
    try:
        return float(term.value) if term is not None else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Link:
    """An IRI as a page shows it: its label and where it leads."""
    text: str
    href: str | None
    iri: str


def link(term, label=None) -> Link | None:
    if term is None:
        return None
    iri = term.value
    shown = label.value if isinstance(label, ox.Literal) else (label or text(term))
    href = (local_path(iri) or term_path(iri)) if isinstance(term, ox.NamedNode) else None
    return Link(shown, href, iri)


def segments(exact: str, cues: list[str]) -> list[tuple[str, bool]]:
    """`exact` cut into (text, is_hedge_cue) pieces, the source's hedge words marked."""
    spans = []
    lowered = exact.lower()
    for cue in sorted({c for c in cues if c}, key=len, reverse=True):
        # whole words only: the cue "if" must not light up inside "verifiable"
        for found in re.finditer(r"(?<!\w)" + re.escape(cue.lower()) + r"(?!\w)", lowered):
            start, end = found.span()
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
    pieces, at = [], 0
    for start, end in sorted(spans):
        if start > at:
            pieces.append((exact[at:start], False))
        pieces.append((exact[start:end], True))
        at = end
    if at < len(exact):
        pieces.append((exact[at:], False))
    return pieces


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """A spreadsheet must not run a cell as a formula: such cells get a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
