"""Writing one export: every file into a fresh folder, then the atomic swap.

The manifest and the DCAT description give the size and sha256 of the bytes
actually written (read back from disk). The version is the first 12 hex digits
of the sha256 of the canonical N-Quads: it changes exactly when the data does.
"""

import hashlib
import json
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from .canonical import Canonical
from .changelog import changelog_text
from .claims import write_claim_formats
from .describe import DEFAULT_BASE, description, description_bytes
from .files import BY_FILE_NAME, DUMPS
from .jsonld import write_context
from .publish import fresh_folder, swap_in, sync_folder
from .rdf import used_prefixes, write_dumps

MANIFEST = "manifest.json"


def _entry(path: Path) -> dict:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    known = BY_FILE_NAME[path.name]
    return {"name": path.name, "media_type": known.media_type, "title": known.title,
            "bytes": size, "sha256": digest.hexdigest()}


def read_manifest(folder: Path) -> dict | None:
    path = Path(folder) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def export_dataset(data: Iterable[ox.Quad] | ox.Dataset, target: Path, base_url: str = DEFAULT_BASE) -> dict:
    """Write the export of `data` to `target` (replaced as a whole); return the manifest.

    An `ox.Dataset` given is relabelled in place, which spares a copy of large data.
    """
    target = Path(target).absolute()
    canonical = Canonical.of(data)
    del data
    fresh = fresh_folder(target)
    try:
        write_dumps(canonical, fresh)
        write_context(fresh / "context.jsonld", used_prefixes(canonical.quads()))
        write_claim_formats(canonical, fresh)
        written = [_entry(fresh / f.name) for f in DUMPS] + [
            _entry(fresh / name) for name in ("context.jsonld", "nanopubs.trig", "claimreviews.jsonld")]
        version = next(e for e in written if e["name"] == "chipkg.nq")["sha256"][:12]
        (fresh / "CHANGELOG.md").write_text(changelog_text(target, fresh, version), encoding="utf-8")
        written.append(_entry(fresh / "CHANGELOG.md"))
        # The description lists every file above; it cannot hold its own checksum.
        (fresh / "description.ttl").write_bytes(
            description_bytes(description(canonical, written, version, base_url)))
        written.append(_entry(fresh / "description.ttl"))
        manifest = {"version": version, "quads": canonical.quad_count,
                    "triples": canonical.triple_count, "graphs": canonical.graphs,
                    "base_url": base_url, "files": written}
        (fresh / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        sync_folder(fresh)
        swap_in(fresh, target)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return manifest
