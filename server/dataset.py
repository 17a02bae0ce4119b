"""What the endpoint serves: files read once, validated, loaded, and counted.

The ontology is always loaded (evidence levels and term definitions live there,
and the shapes check against them); then the shipped graph (unless
INCLUDE_SHIPPED_GRAPH is off) and DATA_FILES, in any RDF syntax, named graphs
kept. The files are loaded straight into the store (no list of quads in
between) while the SHACL engine checks them in a child process, and nothing is
served unless they conform. A result kept in the validation cache for the same
input (the content hash of data, shapes, sources, engine) is used instead of
validating again, unless VALIDATION_CACHE is off.
"""

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from chipkg.errors import UnusableInput
from chipkg.hardening.files import check_file
from chipkg.project import Layout
from chipkg.rdfio import rdf_format
from chipkg.validate.cache import cache_dir, validate_with_cache
from chipkg.validate.engines import DEFAULT_ENGINE
from chipkg.validate.progress import Progress
from chipkg.validate.run import Outcome


class InvalidData(Exception):
    """The data does not conform to the shapes; `outcome` holds the report."""

    def __init__(self, outcome: Outcome):
        super().__init__("the data does not conform")
        self.outcome = outcome


@dataclass(frozen=True)
class Dataset:
    store: ox.Store
    files: tuple[str, ...]
    loaded_at: str
    triples: int                                # distinct triples of the union of all graphs
    default_graph_triples: int
    graphs: tuple[tuple[str, int], ...]         # (named graph IRI, triples), sorted
    distinct_subjects: int
    distinct_objects: int
    entities: int                               # distinct IRI subjects
    classes: tuple[tuple[str, int], ...]        # (class IRI, instances)
    properties: tuple[tuple[str, int], ...]     # (property IRI, triples)


def layout_of(config: dict) -> Layout:
    root = config.get("PROJECT_ROOT")
    return Layout(Path(root).resolve()) if root else Layout()


def data_files(config: dict) -> list[Path]:
    layout = layout_of(config)
    files = list(layout.ontology_files)
    if config["INCLUDE_SHIPPED_GRAPH"]:
        files += layout.graph_files
    files += [Path(f) for f in config["DATA_FILES"]]
    if not config["INCLUDE_SHIPPED_GRAPH"] and not config["DATA_FILES"]:
        raise UnusableInput("nothing to serve: the shipped graph is off and no data files are given")
    return files


def load_dataset(config: dict) -> Dataset:
    """Read, validate and load the configured files; raise InvalidData or UnusableInput."""
    layout = layout_of(config)
    files = data_files(config)
    for path in files:      # size and RDF/XML entity limits, before anything parses them
        check_file(Path(path), rdf_format(Path(path)) == ox.RdfFormat.RDF_XML, config["MAX_DATA_FILE_BYTES"])
    sources = None if config["SKIP_QUOTES"] else layout.sources_dir(config["SOURCES_DIR"])
    folder = cache_dir(config["VALIDATION_CACHE_DIR"]) if config["VALIDATION_CACHE"] else None
    names = [str(f) for f in files]
    counted: list[Dataset] = []

    def count(store: ox.Store) -> None:
        # while the SHACL engine's child process works: the counts take seconds at 1M
        counted.append(dataset_of(store, names))

    outcome, store = validate_with_cache(files, layout.shapes_files, sources, engine=DEFAULT_ENGINE,
                                         folder=folder, progress=Progress.for_terminal(),
                                         need_store=True, meanwhile=count)
    if not outcome.conforms:
        raise InvalidData(outcome)
    return counted[0] if counted else dataset_of(store, names)


def _number(store: ox.Store, query: str, union: bool = True) -> int:
    rows = list(store.query(query, use_default_graph_as_union=union))
    return int(rows[0]["n"].value) if rows and rows[0]["n"] is not None else 0


def _pairs(store: ox.Store, query: str) -> tuple[tuple[str, int], ...]:
    return tuple((row[0].value, int(row[1].value))
                 for row in store.query(query, use_default_graph_as_union=True))


def dataset_of(store: ox.Store, files: list[str] = ()) -> Dataset:
    """Count what VoID and the service description report, once, when the data is loaded."""
    return Dataset(
        store=store,
        files=tuple(files),
        loaded_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        triples=_number(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        default_graph_triples=_number(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", False),
        graphs=_pairs(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?g)) } "
                             "GROUP BY ?g ORDER BY ?g"),
        distinct_subjects=_number(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        distinct_objects=_number(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
        entities=_number(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o "
                                "FILTER(isIRI(?s)) }"),
        classes=_pairs(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } "
                              "GROUP BY ?c ORDER BY ?c"),
        properties=_pairs(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } "
                                 "GROUP BY ?p ORDER BY ?p"),
    )
