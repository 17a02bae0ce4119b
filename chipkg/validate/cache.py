"""A validation result kept by the content hash of its whole input.

The key is the sha256 of: every data file's bytes (in order), every shapes
file's bytes, the digests of the source files quotes are checked against (or
"quotes skipped"), the engine and its version, and the source of chipkg's own
validation code, so a change to any of them is a different key and the old
result is never used for it. An entry is one JSON file named by its key under
the cache folder (`--cache-dir`, else $CHIPKG_CACHE_DIR, else
$XDG_CACHE_HOME/chipkg/validation, else ~/.cache/chipkg/validation), written
atomically, and holding its key and a checksum of its content: an entry whose
key differs, whose checksum fails, or that does not parse is ignored (and
replaced by the next run), never obeyed.
"""

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

from ..errors import UnusableInput
from ..rdfio import write_atomically
from .problems import Problem
from .run import Outcome

FORMAT = 1
CODE = sorted(Path(__file__).parent.glob("*.py")) + [Path(__file__).parent.parent / "rdfio.py"]
ENGINE_PACKAGES = {"shacl": "shacl", "pyshacl": "pyshacl"}


def cache_dir(given: str | Path | None = None) -> Path:
    if given:
        return Path(given)
    if os.environ.get("CHIPKG_CACHE_DIR"):
        return Path(os.environ["CHIPKG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "chipkg" / "validation"


def _digest(path: Path) -> str:
    if not Path(path).is_file():
        raise UnusableInput("no such file", file=str(path))
    hasher = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            hasher.update(chunk)
    return hasher.hexdigest()


def input_key(paths: list[Path], shapes_files: list[Path], sources: Path | None,
              engine: str) -> str:
    """The content hash of everything a validation result depends on."""
    from .quotes import index_sources
    inputs = {
        "format": FORMAT,
        "engine": [engine, metadata.version(ENGINE_PACKAGES[engine])],
        "code": [_digest(p) for p in CODE],
        "shapes": [_digest(Path(p)) for p in shapes_files],
        "data": [_digest(Path(p)) for p in paths],
        "sources": None if sources is None else sorted(index_sources(Path(sources))),
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode("utf-8")).hexdigest()


def _checksum(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()


def load(folder: Path, key: str) -> tuple[Outcome | None, str]:
    """The cached Outcome for `key`, or None and why not."""
    path = folder / f"{key}.json"
    if not path.is_file():
        return None, "no cached result"
    try:
        entry = json.loads(path.read_bytes())
        payload = entry["payload"]
        if entry.get("format") != FORMAT or entry.get("key") != key:
            return None, f"ignored {path}: made for other input"
        if entry.get("checksum") != _checksum(payload):
            return None, f"ignored {path}: its checksum does not match its content"
        problems = [Problem(**p) for p in payload["problems"]]
        return Outcome(problems, payload["report"], dict(payload["counts"]), payload["engine"],
                       cached=True), f"result from {path}"
    except (ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        return None, f"ignored {path}: unreadable ({type(error).__name__})"


def save(folder: Path, key: str, outcome: Outcome) -> Path | None:
    """Keep `outcome` under `key`; a cache that cannot be written is skipped, not an error."""
    report = outcome.shapes_report
    payload = {
        "problems": [p.as_dict() for p in outcome.problems],
        "counts": outcome.counts,
        "engine": outcome.engine,
        "report": report if isinstance(report, str) else report.serialize(format="turtle"),
    }
    entry = {"format": FORMAT, "key": key, "checksum": _checksum(payload), "payload": payload}
    path = folder / f"{key}.json"
    try:
        write_atomically(path, json.dumps(entry, ensure_ascii=False).encode("utf-8"))
    except OSError:
        return None
    return path


def validate_with_cache(paths: list[Path], shapes_files: list[Path], sources: Path | None, *,
                        engine: str, folder: Path | None, progress, need_store: bool = False,
                        meanwhile=None):
    """(Outcome, Store or None): from the cache when the input is unchanged, else validated.

    `folder=None` turns the cache off. The Store is only built on a cache hit
    when `need_store` (a server needs it; `chipkg validate` does not);
    `meanwhile` is handed to `validate_files` (not called on a cache hit).
    """
    from .run import load_store, validate_files
    if not shapes_files:
        raise UnusableInput("no SHACL shapes files found")
    key = None
    if folder is not None:
        with progress.phase("hashing the input"):
            key = input_key(paths, shapes_files, sources, engine)
        outcome, why = load(folder, key)
        progress.say(why)
        if outcome is not None:
            store = None
            if need_store:
                with progress.phase(f"loading {len(paths)} file(s) into the store"):
                    store = load_store(paths)
            return outcome, store
    outcome, store = validate_files(paths, shapes_files, sources, engine=engine, progress=progress,
                                    meanwhile=meanwhile)
    if key is not None:
        saved = save(folder, key, outcome)
        progress.say(f"result kept in {saved}" if saved else f"could not write the cache in {folder}")
    return outcome, store
