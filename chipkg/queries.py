"""Stored queries: `queries/*.rq` files with a comment header.

    # title: Claims about an organization, most certain first
    # description: Every claim whose schema:about is the organization.
    # param: org iri kg:broadcom  The organization
    PREFIX ...

A `param` line is `NAME KIND DEFAULT DESCRIPTION`, KIND one of iri, string,
integer, decimal, level. Values are bound with SPARQL substitution (SEP-0007),
never pasted into the query text, so a parameter cannot inject SPARQL. A `level`
is one of the evidence scheme's levels (ontology/evidence.ttl), given as its
notation (REP), local name (Reported), label (reported), prefixed name or IRI;
anything else is refused, so a typo cannot silently match nothing. A `string`
default of `""` is the empty string (a filter that keeps everything).
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .errors import UnusableInput
from .namespaces import PREFIXES, XSD

_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*)$")
_KINDS = {"iri", "string", "integer", "decimal", "level"}
_SCHEME = "https://w3id.org/chipkg/evidence#scheme"
_LEVELS = f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ck: <https://w3id.org/chipkg/ontology#>
SELECT ?level ?notation ?label WHERE {{
  ?level skos:inScheme <{_SCHEME}> ; skos:notation ?notation ; skos:prefLabel ?label ; ck:rank ?rank }}
ORDER BY DESC(?rank)"""


@dataclass(frozen=True)
class Level:
    iri: str
    notation: str
    label: str


@lru_cache(maxsize=8)
def evidence_levels(ontology_dir: Path) -> tuple[Level, ...]:
    """The levels of the evidence scheme, strongest first, read from the ontology folder."""
    store = ox.Store()
    for path in sorted(ontology_dir.glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return tuple(Level(r["level"].value, r["notation"].value, r["label"].value)
                 for r in store.query(_LEVELS))


def _level_iri(text: str, levels: tuple[Level, ...]) -> str:
    wanted = text.strip()
    for level in levels:
        local = level.iri.rsplit("#", 1)[-1]
        if wanted in (level.iri, f"<{level.iri}>", f"ev:{local}", local, level.notation) \
                or wanted.lower() == level.label.lower():
            return level.iri
    raise UnusableInput(f"not an evidence level: {text!r}; use one of "
                        + ", ".join(level.notation for level in levels))


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    default: str
    description: str
    levels: tuple[Level, ...] = field(default=(), repr=False)   # the choices of a `level`

    def term(self, value: str | None):
        """The RDF term for a value given as text (prefixed names are expanded)."""
        text = self.default if value in (None, "") else value
        if self.kind == "iri":
            return ox.NamedNode(_expand(text))
        if self.kind == "level":
            return ox.NamedNode(_level_iri(text, self.levels))
        if self.kind == "string":
            return ox.Literal(text)
        datatype = XSD.integer if self.kind == "integer" else XSD.decimal
        if not re.fullmatch(r"[+-]?\d+" if self.kind == "integer" else r"[+-]?\d*\.?\d+", text):
            raise UnusableInput(f"parameter {self.name} must be an {self.kind}, got {text!r}")
        return ox.Literal(text, datatype=ox.NamedNode(str(datatype)))


@dataclass(frozen=True)
class StoredQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str

    def substitutions(self, values: dict[str, str]) -> dict:
        unknown = set(values) - {p.name for p in self.params}
        if unknown:
            raise UnusableInput(f"query {self.name} has no parameter {', '.join(sorted(unknown))}")
        return {ox.Variable(p.name): p.term(values.get(p.name)) for p in self.params}


def _expand(text: str) -> str:
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    prefix, _, local = text.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        return str(PREFIXES[prefix]) + local
    if re.match(r"^[a-z][a-z0-9+.-]*:", text):
        return text
    raise UnusableInput(f"not an IRI or known prefixed name: {text!r}")


def parse_stored_query(path: Path, ontology_dir: Path | None = None) -> StoredQuery:
    """One .rq file; `ontology_dir` (default: ../ontology beside its folder) holds the
    evidence scheme that `level` parameters are checked against."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            parts = value.split(None, 3)
            if len(parts) < 3 or parts[1] not in _KINDS:
                raise UnusableInput(f"bad param line {line!r}: want NAME KIND DEFAULT DESCRIPTION",
                                    file=str(path))
            default = "" if parts[2] == '""' else parts[2]
            levels = ()
            if parts[1] == "level":
                levels = evidence_levels(ontology_dir or path.parent.parent / "ontology")
                _level_iri(default, levels)        # a bad default is the file's fault
            params.append(Param(parts[0], parts[1], default, parts[3] if len(parts) > 3 else "",
                                levels))
        else:
            fields[key] = value.strip()
    if "title" not in fields:
        raise UnusableInput("stored query needs a '# title:' line", file=str(path))
    return StoredQuery(path.stem, fields["title"], fields.get("description", ""), tuple(params), text)


def stored_queries(folder: Path, ontology_dir: Path | None = None) -> dict[str, StoredQuery]:
    """Every stored query of the folder, by name (the file name without .rq)."""
    return {q.name: q for q in (parse_stored_query(path, ontology_dir)
                                for path in sorted(folder.glob("*.rq")))}
