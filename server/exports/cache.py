"""Where the served export comes from: a configured folder, or a cache keyed by content.

With EXPORT_DIR set, that folder (written by `chipkg build` or `chipkg export`) is
served as it is. Otherwise the export is made from the very files the server
loaded, on the first request that needs it, into EXPORT_CACHE_DIR/<key>, where
the key is the sha256 of chipkg's version and the bytes of those files: a
restart over the same data finds it there and starts no slower for it; changed
data or a new chipkg gets a new folder. Starting the server never waits for an
export. Reading files is not a query, so nothing here goes around the engine.
"""

import fcntl
import hashlib
import os
import threading
from pathlib import Path

from chipkg import __version__
from chipkg.export import export_dataset, read_manifest
from chipkg.rdfio import read_quads

from ..errors import export_unavailable, not_found


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "chipkg" / "exports"


def content_key(files: tuple[str, ...]) -> str:
    digest = hashlib.sha256(f"chipkg {__version__}\n".encode())
    for name in files:
        with open(name, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


class ExportCache:
    """The folder of the export served by this app, made at most once per process."""

    def __init__(self, config: dict):
        self.configured = Path(config["EXPORT_DIR"]) if config["EXPORT_DIR"] else None
        self.cache_dir = Path(config["EXPORT_CACHE_DIR"]) if config["EXPORT_CACHE_DIR"] else default_cache_dir()
        self._lock = threading.Lock()
        self._ready: tuple[Path, dict] | None = None

    def peek(self) -> tuple[Path, dict] | None:
        """The export if it is already at hand; never builds one."""
        return self._ready

    def get(self, files: tuple[str, ...]) -> tuple[Path, dict]:
        """(folder, manifest) of the export, building it first if it is not cached."""
        if self._ready is not None:
            return self._ready
        with self._lock:
            if self._ready is None:
                self._ready = self._find(files)
        return self._ready

    def _find(self, files: tuple[str, ...]) -> tuple[Path, dict]:
        if self.configured is not None:
            manifest = read_manifest(self.configured)
            if manifest is None:
                raise export_unavailable(f"EXPORT_DIR {self.configured} holds no export (no manifest.json)")
            return self.configured, manifest
        if not files or not all(Path(f).is_file() for f in files):
            # (an external store's data is not here to export) nothing will ever be there to download (not a passing state): 404, not 503
            raise not_found("this server has no downloads: its data was not loaded from files; "
                            "set EXPORT_DIR to serve an export")
        target = self.cache_dir / content_key(files)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        # Workers of one server share the cache: one builds, the others wait and reuse it.
        with open(self.cache_dir / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            manifest = read_manifest(target)
            if manifest is None:
                manifest = export_dataset(read_quads([Path(f) for f in files]), target)
        return target, manifest
