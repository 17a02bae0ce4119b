"""Stored queries: `queries/*.rq` files with a comment header.

    # title: Claims about an organization, most certain first
    # description: Every claim whose schema:about is the organization.
    # param: org iri kg:broadcom  The organization
    PREFIX ...

A `param` line is `NAME KIND DEFAULT DESCRIPTION`, KIND one of iri, string,
integer, decimal. Values are bound with SPARQL substitution (SEP-0007), never
pasted into the query text, so a parameter cannot inject SPARQL.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import UnusableInput
from .namespaces import PREFIXES, XSD

_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*)$")
_KINDS = {"iri", "string", "integer", "decimal"}


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    default: str
    description: str

    def term(self, value: str | None):
        """The RDF term for a value given as text (prefixed names are expanded)."""
        text = self.default if value in (None, "") else value
        if self.kind == "iri":
            return ox.NamedNode(_expand(text))
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


def parse_stored_query(path: Path) -> StoredQuery:
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
            params.append(Param(parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else ""))
        else:
            fields[key] = value.strip()
    if "title" not in fields:
        raise UnusableInput("stored query needs a '# title:' line", file=str(path))
    return StoredQuery(path.stem, fields["title"], fields.get("description", ""), tuple(params), text)


def stored_queries(folder: Path) -> dict[str, StoredQuery]:
    """Every stored query of the folder, by name (the file name without .rq)."""
    return {q.name: q for q in map(parse_stored_query, sorted(folder.glob("*.rq")))}
