"""Where the shipped ontology, graph, shapes, queries and sources live."""

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import UnusableInput

PACKAGE = Path(__file__).resolve().parent
# In a checkout the data folders sit beside the package; an installed wheel
# carries them inside it (see [tool.setuptools.package-dir] in pyproject.toml).
ROOT = PACKAGE.parent if (PACKAGE.parent / "pyproject.toml").is_file() else PACKAGE
SOURCES_ENV = "CHIPKG_SOURCES"
RDF_SUFFIXES = (".ttl", ".trig", ".nt", ".nq", ".jsonld", ".rdf", ".owl", ".n3")


def rdf_files(folder: Path) -> list[Path]:
    """The RDF files of a folder, sorted so loads and builds are repeatable."""
    if not folder.is_dir():
        raise UnusableInput(f"folder not found: {folder} (is --root the project folder?)")
    return sorted(p for p in folder.iterdir() if p.suffix in RDF_SUFFIXES)


@dataclass(frozen=True)
class Layout:
    """The project's data folders, relative to one root (the repository)."""

    root: Path = ROOT

    @property
    def ontology_files(self) -> list[Path]:
        return rdf_files(self.root / "ontology")

    @property
    def graph_files(self) -> list[Path]:
        return rdf_files(self.root / "kg")

    @property
    def shapes_files(self) -> list[Path]:
        return rdf_files(self.root / "shapes")

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    def sources_dir(self, given: str | Path | None = None) -> Path:
        """The folder of source files: the option, else $CHIPKG_SOURCES, else
        ../shared/sources beside the repository (where the article is kept)."""
        chosen = given or os.environ.get(SOURCES_ENV) or self.root.parent / "shared" / "sources"
        return Path(chosen)
