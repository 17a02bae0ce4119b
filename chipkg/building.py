"""Writing the merged dataset (ontology + graph) to a build folder in one step.

The new folder is written beside the old one and swapped in by renames, so a
reader sees either the old build or the new one, never a mix or a half file. A build
killed part way leaves the previous one complete; the next build tidies up (`_recover`).
"""

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from .formats import BY_NAME
from .namespaces import PREFIX_IRIS
from .rdfio import _umask

EXPORTS = ("trig", "nquads", "jsonld")
FILE_NAMES = {"trig": "chipkg.trig", "nquads": "chipkg.nq", "jsonld": "chipkg.jsonld"}


def build_dataset(quads: list[ox.Quad], target: Path) -> dict:
    """Write every export format and a manifest into `target`; return the manifest."""
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    _recover(target)
    fresh = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.new-{os.getpid()}-"))
    try:
        # mkdtemp makes the folder 0700, which would leave the published dumps unreadable to a
        # web server running as another user; give it what mkdir gives (the umask decides).
        os.chmod(fresh, 0o777 & ~_umask())
        manifest = {"quads": len(quads), "files": []}
        for name in EXPORTS:
            path = fresh / FILE_NAMES[name]
            rdf = BY_NAME[name].rdf
            ox.serialize(quads, path, format=rdf,
                         **({"prefixes": PREFIX_IRIS} if rdf is not ox.RdfFormat.N_QUADS else {}))
            data = path.read_bytes()
            manifest["files"].append({"name": path.name, "media_type": BY_NAME[name].media_type,
                                      "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        (fresh / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        _swap_in(fresh, target)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return manifest


def _recover(target: Path) -> None:
    """Clean up after a build that was killed: its half-written folder (named with the pid of
    a process that is gone) goes, and if it died between the two renames of `_swap_in`, the
    previous build is put back."""
    for stale in target.parent.glob(f".{target.name}.new-*-*"):
        pid = stale.name[len(f".{target.name}.new-"):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    old = target.with_name(f".{target.name}.old")
    if not target.exists() and old.is_dir():
        old.rename(target)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _swap_in(fresh: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
