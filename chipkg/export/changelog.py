"""CHANGELOG.md of an export: one entry per version, newest first.

The entry compares the new data with the export it replaces (when there is one).
Entries carry versions (content hashes), never clock times, so exporting the
same data again leaves the changelog, like every other file, byte-identical.
"""

from pathlib import Path

from .diff import changes_text, compare, graded, load_version

HEADER = "# Changelog of the chipkg export\n\nNewest first; versions are content hashes of chipkg.nq.\n"


def changelog_text(target: Path, fresh: Path, version: str) -> str:
    previous = _previous(target)
    new = graded(_triples_of(fresh))
    if previous is None:
        counts = f"{len(new['claims'])} claims, {len(new['deals'])} deals"
        return f"{HEADER}\n## {version}\n\nFirst export: {counts}.\n"
    old_version, old_text = previous
    if old_version == version:
        return old_text
    body = changes_text(compare(load_version(target), new), bullet="- ")
    entries = old_text[len(HEADER):] if old_text.startswith(HEADER) else ""
    return f"{HEADER}\n## {version}\n\nCompared with {old_version}:\n\n{body}{entries}"


def _triples_of(folder: Path):
    import pyoxigraph as ox
    return ox.parse(path=folder / "chipkg.nq", format=ox.RdfFormat.N_QUADS)


def _previous(target: Path) -> tuple[str, str] | None:
    """(version, changelog text) of the export at `target`, or None if there is none."""
    from .build import read_manifest
    manifest = read_manifest(target)
    if not manifest or not (target / "chipkg.nq").is_file():
        return None
    try:
        text = (target / "CHANGELOG.md").read_text(encoding="utf-8")
    except OSError:
        text = HEADER
    # A build from before versioned exports has no version; its data is compared all the same.
    return manifest.get("version", "an unversioned build"), text
