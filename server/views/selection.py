"""Reading the view parameters and deciding which sources a view admits."""

from dataclasses import dataclass, field
from urllib.parse import parse_qs

import pyoxigraph as ox
from flask import Request, current_app

from chipkg.errors import UnusableInput
from chipkg.evidence import dates
from chipkg.evidence.levels import Level, level_of
from chipkg.namespaces import shorten

from ..errors import SparqlError, bad_request
from . import catalogue, materialize

AS_OF, MIN_EVIDENCE = "as-of", "min-evidence"
PARAMS = (AS_OF, MIN_EVIDENCE)
HEADER, UNCERTAIN, UNDATED, GRAPH = ("Chipkg-View", "Chipkg-View-Uncertain", "Chipkg-View-Undated",
                                     "Chipkg-View-Graph")


@dataclass
class View:
    as_of: str | None
    level: Level | None
    graph: str = ""
    options: dict = field(default_factory=dict)
    uncertain: list[str] = field(default_factory=list)      # sources whose date straddles as-of
    undated: list[str] = field(default_factory=list)
    uncertain_included: bool = False
    store: object = None                                     # the store holding the view graph

    @property
    def name(self) -> str:
        parts = ([f"{AS_OF}={self.as_of}"] if self.as_of else []) + (
            [f"{MIN_EVIDENCE}={self.level.notation}"] if self.level else [])
        return "; ".join(parts)

    def notes(self) -> list[str]:
        """What a page says about the view, in plain words."""
        notes = [f"View applied: {self.name}."]
        if self.uncertain:
            done = "included" if self.uncertain_included else "left out"
            notes.append(f"Uncertain: {len(self.uncertain)} source(s) are dated only to a period containing "
                         f"{self.as_of} ({', '.join(map(shorten, self.uncertain))}); they were {done}.")
        if self.undated:
            notes.append(f"{len(self.undated)} source(s) have no publication date and were left out "
                         f"({', '.join(map(shorten, self.undated))}).")
        return notes


def _param(request: Request, name: str) -> str | None:
    values = request.args.getlist(name) + (request.form.getlist(name) if request.form else [])
    if len(values) > 1:
        raise bad_request(f"{name} is given more than once")
    return values[0].strip() if values and values[0].strip() else None


def view_for(request: Request) -> View | None:
    """The view the request asks for, materialized and ready, or None."""
    as_of, wanted = _param(request, AS_OF), _param(request, MIN_EVIDENCE)
    if as_of is None and wanted is None:
        return None
    return resolve(as_of, wanted, current_app.extensions["chipkg"].ready(), current_app.config)


def preload(served, config: dict) -> None:
    """Build the views VIEW_PRELOAD names ("min-evidence=REP", "as-of=2026-06-30&min-evidence=CONF")
    before serving, so under gunicorn the workers share them from the master."""
    for entry in config["VIEW_PRELOAD"]:
        given = parse_qs(entry, keep_blank_values=True)
        unknown = set(given) - set(PARAMS)
        if unknown or not given:
            raise UnusableInput(f"VIEW_PRELOAD entry {entry!r}: use as-of=YYYY-MM-DD and/or min-evidence=LEVEL")
        try:
            resolve(given.get(AS_OF, [None])[0], given.get(MIN_EVIDENCE, [None])[0], served, config)
        except SparqlError as error:
            raise UnusableInput(f"VIEW_PRELOAD entry {entry!r}: {error}") from None


def resolve(as_of: str | None, wanted: str | None, served, config: dict) -> View:
    try:
        day = dates.as_of_day(as_of) if as_of else None
        level = level_of(wanted) if wanted else None
    except UnusableInput as error:
        raise bad_request(str(error)) from None
    if not isinstance(served.dataset.store, ox.Store):
        # a view is a graph built from the loaded quads; over an external store it would have
        # to be built there with SPARQL Update, which is not done yet (docs/endpoint.md)
        raise bad_request("as-of and min-evidence views need the embedded store; this server "
                          "serves an external store (BACKEND_URL), where they are not available yet")
    found = catalogue.of(served)
    view = View(as_of, level, uncertain_included=config["AS_OF_UNCERTAIN"] == "include")
    admitted = []
    for graph, source in sorted(found.sources.items()):
        if day is None:
            admitted.append(graph)
            continue
        relation = dates.relation(source.interval, day)
        if relation == "before" or (relation == "uncertain" and view.uncertain_included):
            admitted.append(graph)
        if relation == "uncertain":
            view.uncertain.append(source.document)
        elif relation == "undated":
            view.undated.append(source.document)
    # Named graphs that are not a source's (data files without a source document) have
    # no date: kept by min-evidence alone, left out by as-of.
    for graph in sorted(found.other_graphs):
        if day is None:
            admitted.append(graph)
        elif graph not in found.derived_graphs:
            view.undated.append(graph)
    view.graph, view.store = materialize.view_graph(served, found, tuple(admitted), level.rank if level else 0,
                                                    config["VIEW_CACHE_SIZE"])
    view.options = {"default_graph": [ox.NamedNode(view.graph)], "named_graphs": [ox.NamedNode(view.graph)]}
    return view


def view_headers(view: View | None) -> dict[str, str]:
    if view is None:
        return {HEADER: "none"}
    headers = {HEADER: view.name, GRAPH: view.graph}
    if view.uncertain:
        headers[UNCERTAIN] = (f"{len(view.uncertain)} source(s) dated only to a period containing {view.as_of}, "
                              + ("included" if view.uncertain_included else "excluded") + ": "
                              + " ".join(view.uncertain))
    if view.undated:
        headers[UNDATED] = f"{len(view.undated)} source(s) without a date, excluded: " + " ".join(view.undated)
    return headers
