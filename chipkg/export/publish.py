"""Swapping a freshly written export in for the previous one, in one atomic step.

An export is written into a new hidden folder beside DIR; DIR itself is a
symbolic link, and the link is replaced with `os.replace` (a rename, atomic on
POSIX). Whenever the process dies, DIR points at a complete export, old or
new, and no file under a final name is ever half-written. The first export
into an existing plain folder (an older `chipkg build`) moves that folder
aside first: that one time there is a moment without DIR.
"""

import os
import shutil
import tempfile
from pathlib import Path

PREFIX = ".{}.export-"


def fresh_folder(target: Path) -> Path:
    """A new, empty hidden folder beside `target` to write an export into."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=target.parent, prefix=PREFIX.format(target.name)))


def sync_folder(folder: Path) -> None:
    """Flush the folder's files and entries to disk, so the swap never exposes lost data."""
    for path in folder.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def swap_in(fresh: Path, target: Path) -> None:
    """Point `target` at `fresh` atomically; remove exports no longer pointed at."""
    os.chmod(fresh, 0o777 & ~_umask())      # mkdtemp makes 0700; give what mkdir would
    link = target.parent / f".{target.name}.link-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(fresh.name, link)
    if target.exists() and not target.is_symlink():
        aside = Path(tempfile.mkdtemp(dir=target.parent, prefix=PREFIX.format(target.name)))
        os.replace(target, aside / "old")
    os.replace(link, target)
    _remove_stale(target)


def _remove_stale(target: Path) -> None:
    """Every hidden export folder beside `target` but the one it points at.

    Folders of killed exports are removed here too. One export at a time per
    folder: a concurrent one would lose its half-written folder.
    """
    current = target.resolve()
    for path in target.parent.glob(PREFIX.format(target.name) + "*"):
        if path.resolve() != current:
            shutil.rmtree(path, ignore_errors=True)
    for link in target.parent.glob(f".{target.name}.link-*"):
        link.unlink(missing_ok=True)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
