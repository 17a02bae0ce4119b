"""No published file names a path of the machine it was written on (issue 10, small leaks):
the data, the docs and the scripts travel to other machines and into public dumps."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ["kg", "ontology", "shapes", "queries", "docs", "recipes", "scripts"]
MACHINE_PATH = re.compile(r"(?<![\w.~-])/(?:work|root|home|tmp|Users|opt|srv|mnt)/[\w.-]")


def _files():
    for folder in PUBLISHED:
        yield from sorted(p for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    yield from (ROOT / name for name in ("README.md", "SECURITY.md", "pyproject.toml"))


def test_the_pattern_catches_the_leak_it_is_for():
    assert MACHINE_PATH.search("# Taken from /work/shared/data/wikidata-links.tsv, the list")
    assert not MACHINE_PATH.search("see ../shared/data/wikidata-links.tsv or https://w3id.org/chipkg/id/x")


@pytest.mark.parametrize("path", list(_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_absolute_machine_path(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    found = [m.group(0) for m in MACHINE_PATH.finditer(text)]
    assert not found, f"{path.relative_to(ROOT)} names machine paths: {found[:3]}"
