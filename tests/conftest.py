"""Fixtures shared by the whole suite: the project layout, sources, CLI runner."""

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from chipkg.cli import cli
from chipkg.project import Layout

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def _validation_cache(tmp_path_factory):
    """Validation results go to a folder of this run, never the user's cache."""
    folder = tmp_path_factory.mktemp("validation-cache")
    previous = os.environ.get("CHIPKG_CACHE_DIR")
    os.environ["CHIPKG_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("CHIPKG_CACHE_DIR", None)
    else:
        os.environ["CHIPKG_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def layout() -> Layout:
    return Layout()


@pytest.fixture(scope="session")
def shipped_store(layout):
    """The ontology and the shipped graph in one pyoxigraph store (read-only in the tests)."""
    from chipkg.rdfio import read_quads
    from chipkg.store import store_of
    return store_of(read_quads(layout.ontology_files + layout.graph_files))


@pytest.fixture(scope="session")
def stored(layout):
    """The stored queries of queries/, by name."""
    from chipkg.queries import stored_queries
    return stored_queries(layout.queries_dir)


@pytest.fixture(scope="session")
def sources(layout) -> Path:
    """The article's folder (../shared/sources); the suite needs it, so no skip."""
    folder = layout.sources_dir()
    assert (folder / "blockbeats-anthropic-ai-chips-samsung.txt").is_file(), (
        f"source article not found in {folder}: set CHIPKG_SOURCES")
    return folder


@pytest.fixture
def fixture_sources() -> Path:
    return FIXTURES / "sources"


@pytest.fixture
def minimal_graph() -> Path:
    return FIXTURES / "minimal.ttl"


@pytest.fixture
def invoke():
    """Run the chipkg CLI in-process; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return run
