"""Fixtures of the export tests: the shipped data and one export of it, made once."""

import pytest

from chipkg.export import export_dataset
from chipkg.rdfio import read_quads


@pytest.fixture(scope="session")
def shipped_quads(layout):
    return read_quads(layout.ontology_files + layout.graph_files)


@pytest.fixture(scope="session")
def exported(shipped_quads, tmp_path_factory):
    """The export folder of the shipped data, and its manifest."""
    target = tmp_path_factory.mktemp("export") / "out"
    manifest = export_dataset(shipped_quads, target)
    return target, manifest
