"""What a data file may ask of the process that reads it, checked before it is parsed.

Every file is parsed whole into memory (quads for validation and the store), so its size is
capped: MAX_DATA_FILE_BYTES (default below, `CHIPKG_MAX_DATA_FILE_BYTES` in the environment,
the server setting of the same name). A file over it is refused, exit 2, naming the file.

pyoxigraph's RDF/XML parser expands the entities a DOCTYPE declares, recursively: nine
nested entities of ten references ("billion laughs", 1 KB of text) became a 1 GB literal
and 3 GB of memory in 10 s. It refuses external entities (SYSTEM / PUBLIC) itself, with a
syntax error, and fetches nothing. So an RDF/XML file may declare only flat internal
entities, the namespace abbreviations OWL tools write (``<!ENTITY owl "http://...#">``):
no parameter entity, no entity inside an entity, a value of at most ENTITY_VALUE_CHARS, and
all references together expanding to no more than the file size limit. Anything else is
refused, exit 2, naming the file and the line of the declaration.
"""

import os
import re
from pathlib import Path

from ..errors import UnusableInput

DEFAULT_MAX_FILE_BYTES = 512_000_000
ENTITY_VALUE_CHARS = 1024
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*\[(.*?)\]\s*>", re.DOTALL)
_ENTITY = re.compile(rb"<!ENTITY\s+(%\s*)?([^\s%\"'>]+)\s+(\"[^\"]*\"|'[^']*'|SYSTEM|PUBLIC)", re.DOTALL)


def max_file_bytes() -> int:
    text = os.environ.get("CHIPKG_MAX_DATA_FILE_BYTES", "").strip()
    return int(text) if text.isdigit() else DEFAULT_MAX_FILE_BYTES


def check_file(path: Path, is_rdf_xml: bool, max_bytes: int | None = None) -> None:
    """Raise UnusableInput if reading `path` could take more than its share of memory."""
    limit = max_file_bytes() if max_bytes is None else max_bytes
    size = path.stat().st_size
    if size > limit:
        raise UnusableInput(f"file of {size} bytes is larger than the limit of {limit} bytes "
                            "(MAX_DATA_FILE_BYTES); split it or raise the limit", file=str(path))
    if is_rdf_xml:
        _check_entities(path, limit)


def _check_entities(path: Path, limit: int) -> None:
    data = path.read_bytes()
    doctype = _DOCTYPE.search(data[:1_000_000])
    if doctype is None:
        if b"<!ENTITY" in data[:1_000_000]:
            raise UnusableInput("an <!ENTITY declaration outside a readable DOCTYPE is refused",
                                file=str(path))
        return
    subset = doctype.group(1)
    declared = list(_ENTITY.finditer(subset))
    if subset.count(b"<!ENTITY") != len(declared):
        raise _refused(path, data, doctype.start(1), "an entity declaration that cannot be checked")
    expanded = 0
    for match in declared:
        where = doctype.start(1) + match.start()
        percent, name, value = match.group(1), match.group(2), match.group(3)
        if percent:
            raise _refused(path, data, where, f"a parameter entity %{name.decode(errors='replace')}")
        if value in (b"SYSTEM", b"PUBLIC"):
            raise _refused(path, data, where, f"an external entity {name.decode(errors='replace')}")
        inner = value[1:-1]
        if b"&" in inner or b"%" in inner:
            raise _refused(path, data, where, f"an entity {name.decode(errors='replace')} that refers "
                           "to other entities (nested expansion)")
        if len(inner) > ENTITY_VALUE_CHARS:
            raise _refused(path, data, where, f"an entity {name.decode(errors='replace')} of "
                           f"{len(inner)} characters (the limit is {ENTITY_VALUE_CHARS})")
        expanded += data.count(b"&" + name + b";") * len(inner)
    if expanded > limit:
        raise UnusableInput(f"entity references would expand to {expanded} bytes, more than the "
                            f"limit of {limit} bytes", file=str(path))


def _refused(path: Path, data: bytes, offset: int, what: str) -> UnusableInput:
    line = data.count(b"\n", 0, offset) + 1
    return UnusableInput(f"RDF/XML DOCTYPE declares {what}; refused (entity expansion can take "
                         "unbounded memory); only flat internal entities are read", file=str(path),
                         line=line)
