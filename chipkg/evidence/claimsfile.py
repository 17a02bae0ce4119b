"""Claims files: one YAML file per source document, written by people.

The file names its source (by file name and sha256) and lists entities and
claims. A claim's quotes are plain text; offsets are never written by hand (see
`anchor`). YAML keeps the file readable and its diffs small; duplicate keys are
refused, because PyYAML would otherwise keep the last one silently.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from ..errors import UnusableInput
from . import dates
from .levels import Level, level_of

NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ENTITY_TYPES = {"Company": "ck:Company", "Person": "schema:Person", "Chip": "ck:Chip",
                "ChipFamily": "ck:ChipFamily"}
SOURCE_KEYS = {"name", "file", "sha256", "title", "publisher", "url", "language", "issued",
               "reliability", "unknown"}
CLAIM_KEYS = {"text", "about", "level", "confidence", "attributed-to", "hedge", "note", "quotes", "label"}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader, libyaml's when PyYAML has it (ten times faster on big files)."""


def _mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise UnusableInput(f"line {key_node.start_mark.line + 1}: key {key!r} is given twice")
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
# Dates stay text: 2026-05 and 2026 must not become numbers or datetimes.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


@dataclass(frozen=True)
class QuoteSpec:
    text: str
    occurrence: int | None = None
    start: int | None = None


@dataclass(frozen=True)
class ClaimSpec:
    id: str
    text: str
    about: tuple[str, ...]
    level: Level
    confidence: Decimal
    quotes: tuple[QuoteSpec, ...]
    label: str | None = None
    attributed_to: str | None = None
    hedge: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class SourceSpec:
    name: str
    file: str
    sha256: str
    title: str | None
    publisher: str | None
    url: str | None
    language: str | None
    issued: str | None
    reliability: str = "F"


@dataclass
class ClaimsFile:
    path: Path
    source: SourceSpec
    entities: dict[str, dict] = field(default_factory=dict)
    claims: list[ClaimSpec] = field(default_factory=list)


def _text(value, where: str, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool) or str(value).strip() == "":
        raise UnusableInput(f"{where}: give a non-empty text")
    return str(value)


def _name(value, where: str) -> str:
    if not isinstance(value, str) or not NAME.match(value):
        raise UnusableInput(f"{where}: {value!r} is not a name (lowercase letters, digits and '-')")
    return value


def _listed(value, where: str) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def load(path: Path) -> ClaimsFile:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except FileNotFoundError:
        raise UnusableInput("no such claims file", file=str(path)) from None
    except UnicodeDecodeError:
        raise UnusableInput("the claims file is not UTF-8", file=str(path)) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise UnusableInput(f"not valid YAML: {getattr(error, 'problem', error)}", file=str(path),
                            line=mark.line + 1 if mark else None) from None
    except UnusableInput as error:
        raise UnusableInput(str(error), file=str(path)) from None
    if not isinstance(data, dict) or not isinstance(data.get("source"), dict):
        raise UnusableInput("a claims file is a mapping with a 'source:' section", file=str(path))
    where = str(path)
    return ClaimsFile(path, _source(data["source"], where), _entities(data.get("entities"), where),
                      _claims(data.get("claims"), where))


def _source(raw: dict, where: str) -> SourceSpec:
    unknown = set(raw) - SOURCE_KEYS
    if unknown:
        raise UnusableInput(f"{where}: source: unknown key(s) {', '.join(sorted(unknown))}")
    sha = _text(raw.get("sha256"), f"{where}: source.sha256")
    if not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise UnusableInput(f"{where}: source.sha256 is not 64 lowercase hex digits")
    fields = {k: _text(raw.get(k), f"{where}: source.{k}", required=False)
              for k in ("title", "publisher", "url", "language", "issued")}
    if fields["url"] and not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", fields["url"]):
        raise UnusableInput(f"{where}: source.url {fields['url']!r} is not an http(s) URL")
    if fields["issued"]:
        dates.parse(fields["issued"])
    return SourceSpec(_name(raw.get("name"), f"{where}: source.name"),
                      _text(raw.get("file"), f"{where}: source.file"), sha, **fields,
                      reliability=str(raw.get("reliability") or "F"))


def _entities(raw, where: str) -> dict[str, dict]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise UnusableInput(f"{where}: entities: is a mapping of id to type and label")
    found = {}
    for key, value in raw.items():
        _name(key, f"{where}: entities")
        if not isinstance(value, dict) or value.get("type") not in ENTITY_TYPES:
            raise UnusableInput(f"{where}: entity {key}: give type: one of {', '.join(ENTITY_TYPES)}")
        found[key] = {"type": value["type"], "label": _text(value.get("label"), f"{where}: entity {key}.label"),
                      "roles": [str(r) for r in _listed(value.get("roles"), where)]}
    return found


def _claims(raw, where: str) -> list[ClaimSpec]:
    if raw is None:
        return []
    if not isinstance(raw, dict):
        raise UnusableInput(f"{where}: claims: is a mapping of claim id to claim")
    return [_claim(key, value, f"{where}: claim {key}") for key, value in raw.items()]


def _claim(key, raw, where: str) -> ClaimSpec:
    _name(key, where)
    if not isinstance(raw, dict):
        raise UnusableInput(f"{where}: a claim is a mapping (text, about, level, confidence, quotes)")
    unknown = set(raw) - CLAIM_KEYS
    if unknown:
        raise UnusableInput(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    for needed in ("text", "about", "level", "confidence", "quotes"):
        if raw.get(needed) in (None, [], ""):
            raise UnusableInput(f"{where}: '{needed}:' is required")
    try:
        confidence = Decimal(str(raw["confidence"]))
    except InvalidOperation:
        raise UnusableInput(f"{where}: confidence {raw['confidence']!r} is not a number") from None
    quotes = []
    for item in _listed(raw["quotes"], where):
        if isinstance(item, str):
            quotes.append(QuoteSpec(item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            extra = set(item) - {"text", "occurrence", "start"}
            if extra:
                raise UnusableInput(f"{where}: quote: unknown key(s) {', '.join(sorted(extra))}")
            for hint in ("occurrence", "start"):
                if item.get(hint) is not None and not isinstance(item[hint], int):
                    raise UnusableInput(f"{where}: quote {hint} must be an integer")
            quotes.append(QuoteSpec(item["text"], item.get("occurrence"), item.get("start")))
        else:
            raise UnusableInput(f"{where}: a quote is text, or a mapping with text: (and occurrence: or start:)")
    return ClaimSpec(key, _text(raw["text"], where), tuple(_name(a, f"{where}: about") for a in _listed(raw["about"], where)),
                     level_of(raw["level"]), confidence, tuple(quotes),
                     label=_text(raw.get("label"), where, required=False),
                     attributed_to=_name(raw["attributed-to"], where) if raw.get("attributed-to") else None,
                     hedge=tuple(str(h) for h in _listed(raw.get("hedge"), where)),
                     note=_text(raw.get("note"), where, required=False))
