"""Registering a source document: `chipkg add-source FILE`.

The file is copied byte for byte into the sources folder, where quote
verification finds it by sha256, and a claims file is started for it. What the
options do not give (title, publisher, URL, language, date) is written as
unknown — null, with a note in the file and in the graph — never guessed.
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import UnusableInput
from ..rdfio import write_atomically
from . import dates
from .claimsfile import NAME

FIELDS = ("title", "publisher", "url", "language", "issued")


@dataclass(frozen=True)
class Registered:
    name: str
    copied_to: Path
    claims_file: Path
    sha256: str
    copied: bool            # False: the same bytes were already there
    started: bool           # False: the claims file already existed and was kept


def name_for(path: Path) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    if not slug:
        raise UnusableInput(f"cannot make a name from {path.name!r}; give --name")
    return slug


def register(path: Path, sources_dir: Path, claims_dir: Path, *, name: str | None = None,
             **given: str | None) -> Registered:
    if not path.is_file():
        raise UnusableInput("no such file", file=str(path))
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnusableInput(f"not UTF-8 ({error.reason} at byte {error.start}); convert it to UTF-8 "
                            "first, so quote offsets count the characters you see", file=str(path)) from None
    name = name or name_for(path)
    if not NAME.match(name):
        raise UnusableInput(f"--name {name!r}: use lowercase letters, digits and '-'")
    if given.get("issued"):
        dates.parse(given["issued"])
    if given.get("url") and not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", given["url"]):
        raise UnusableInput(f"--url {given['url']!r} is not an http(s) URL")
    digest = hashlib.sha256(data).hexdigest()
    target = sources_dir / f"{name}{path.suffix or '.txt'}"
    copied = True
    if target.exists():
        if hashlib.sha256(target.read_bytes()).hexdigest() != digest:
            raise UnusableInput(f"{target} exists with different bytes; it is never overwritten — "
                                "choose another --name")
        copied = False
    claims_file = claims_dir / f"{name}.yaml"
    if claims_file.exists():
        try:
            existing = yaml.safe_load(claims_file.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError):
            existing = {}
        if (existing.get("source") or {}).get("sha256") != digest:
            raise UnusableInput(f"{claims_file} exists for another document; it is never overwritten")
    if copied:
        sources_dir.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)
    started = not claims_file.exists()
    if started:
        claims_dir.mkdir(parents=True, exist_ok=True)
        write_atomically(claims_file, starter(name, target.name, digest, given).encode("utf-8"))
    return Registered(name, target, claims_file, digest, copied, started)


def _scalar(value) -> str:
    return yaml.safe_dump(value, default_style=None, allow_unicode=True, width=10_000).strip().removesuffix("...").strip()


def starter(name: str, file: str, digest: str, given: dict) -> str:
    unknown = [f for f in FIELDS if not given.get(f)]
    lines = [
        f"# chipkg claims file for {file}. Run `chipkg compile` to turn it into kg/{name}.trig.",
        "# null means unknown: it stays out of the graph (with a note), never guessed.",
        "source:",
        f"  name: {name}",
        f"  file: {_scalar(file)}",
        f"  sha256: {digest}",
    ]
    for key in FIELDS:
        value = given.get(key)
        comment = {"issued": "  # YYYY, YYYY-MM or YYYY-MM-DD, at the precision the source gives",
                   "title": "  # required by the shapes before compiling"}.get(key, "")
        shown = "null" if not value else f"'{value}'" if key == "issued" else _scalar(value)
        lines.append(f"  {key}: {shown}{comment if not value else ''}")
    lines += ["  reliability: F   # Admiralty A-F; F = reliability cannot be judged",
              f"  unknown: [{', '.join(unknown)}]" if unknown else "  unknown: []",
              "",
              "# entities the claims are about, if not already in the graph:",
              "# entities:",
              "#   acme-foundry: {type: Company, label: Acme Foundry, roles: [Foundry]}",
              "entities: {}",
              "",
              "# claims:",
              "#   acme-orders-wafers:",
              "#     text: Acme ordered wafers from Beta.       # the proposition, in plain words",
              "#     about: [acme-foundry]",
              "#     level: REP                                  # CONF, REP, SPEC, UNSUP or DEN",
              "#     confidence: 0.7                             # inside the level's band",
              "#     hedge: [reportedly]",
              "#     quotes:",
              "#       - Acme reportedly ordered wafers          # copied verbatim from the source",
              "claims: {}",
              ""]
    return "\n".join(lines)
