"""`chipkg push --store URL`: load the validated dataset into an external store over the
Graph Store HTTP Protocol, so `chipkg serve --backend` can serve it from there.

The data is read and validated exactly as `chipkg serve` does (data that does not
conform is never pushed). Then, against the store's GSP endpoint:

1. the push record (`manifest`) is deleted: from now until step 4 the store holds
   no complete push, and `serve --backend` refuses it rather than serve a mix;
2. every graph is replaced whole — each source graph under its own name, the
   default graph (the ontology) under `manifest.DEFAULT_GRAPH`, their union under
   `manifest.UNION_GRAPH` — with a PUT (and, past `Pusher.CHUNK` triples, POSTs of
   the rest), so a re-push is idempotent; then its triple count is read back
   through the query endpoint and must equal the local count; a failed request or
   a wrong count is retried (with backoff) before the graph is given up;
3. graphs of the previous push that are no longer in the dataset are deleted;
4. only if every graph is current, the push record is written.

The report lists every graph as current or not, with the reason; exit 0 when all
are current, 1 otherwise (never silently half pushed), 2 for unusable input.
Credentials come from CHIPKG_STORE_USER/CHIPKG_STORE_PASSWORD or a netrc entry.
"""

import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import click
import pyoxigraph as ox

from chipkg.errors import UnusableInput
from chipkg.project import Layout

from ..errors import SparqlError
from . import http
from .manifest import DEFAULT_GRAPH, MANIFEST_GRAPH, UNION_GRAPH, manifest_triples, read_manifest


@dataclass
class Outcome:
    graph: str
    triples: int
    current: bool = False
    note: str = ""


def query_endpoint_of(store_url: str) -> str:
    """The query endpoint beside a GSP endpoint: Oxigraph's /store -> /query,
    Virtuoso's /sparql-graph-crud(-auth) -> /sparql."""
    parts = urllib.parse.urlsplit(store_url)
    path = parts.path.rstrip("/")
    if path.endswith("/store"):
        path = path[:-len("store")] + "query"
    elif path.endswith(("/sparql-graph-crud", "/sparql-graph-crud-auth")):
        path = path.rsplit("/", 1)[0] + "/sparql"
    else:
        raise UnusableInput(f"cannot tell the query endpoint of {store_url}: give --query URL")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def graphs_of(store: ox.Store) -> dict[str, list[ox.Triple]]:
    """Each graph's distinct triples, the default graph under DEFAULT_GRAPH, and last the
    distinct triples of them all under UNION_GRAPH."""
    graphs = {DEFAULT_GRAPH: [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]}
    for name in sorted(store.named_graphs(), key=lambda g: g.value):
        graphs[name.value] = [q.triple for q in store.quads_for_pattern(None, None, None, name)]
    graphs[UNION_GRAPH] = list(dict.fromkeys(t for triples in graphs.values() for t in triples))
    return graphs


class Pusher:
    def __init__(self, store_url: str, query_store, *, timeout: float, retries: int, echo=click.echo):
        self.store_url, self.query_store = store_url, query_store
        self.timeout, self.retries, self.echo = timeout, retries, echo
        self.credentials = http.credentials_for(store_url)

    def _send(self, method: str, graph: str, body: bytes | None = None) -> None:
        media = self.query_store.gsp_media
        url = self.query_store.gsp_target(self.store_url, graph)
        reply = http.request(method, url, body=body, timeout=self.timeout, credentials=self.credentials,
                             headers={"Content-Type": media} if body is not None else {})
        text = " ".join(reply.text().split())[:300]
        reply.body.close()
        if method == "DELETE" and reply.status == 404:
            return
        if not 200 <= reply.status < 300:
            raise SparqlError(reply.status, f"{method} answered HTTP {reply.status}: {text or '(no message)'}")

    def count(self, graph: str) -> int:
        rows = list(self.query_store.query(
            f"SELECT (COUNT(*) AS ?n) FROM NAMED <{graph}> WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))
        return int(rows[0]["n"].value) if rows else 0

    # Triples per request. One PUT of the whole union (15 MB of N-Triples at 100k triples)
    # was reset by Virtuoso; a graph larger than this is sent as a PUT of its first part
    # and POSTs (the protocol's "merge") of the rest, then counted as a whole.
    CHUNK = 50_000

    def replace(self, graph: str, triples: list[ox.Triple]) -> Outcome:
        outcome = Outcome(graph, len(triples))
        parts = [triples[at:at + self.CHUNK] for at in range(0, len(triples), self.CHUNK)] or [[]]
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(min(0.5 * 2 ** (attempt - 1), 8.0))
            try:
                for n, part in enumerate(parts):     # a retry starts again from the PUT
                    self._send("PUT" if n == 0 else "POST", graph,
                               ox.serialize(part, format=ox.RdfFormat.N_TRIPLES) or b"")
                found = self.count(graph)
            except SparqlError as error:
                outcome.note = error.message
                continue
            if found == len(triples):
                outcome.current, outcome.note = True, ""
                return outcome
            outcome.note = f"the store holds {found} triples, not {len(triples)}"
        outcome.note += f" (after {self.retries + 1} attempts)"
        return outcome

    def push(self, graphs: dict[str, list[ox.Triple]]) -> list[Outcome]:
        try:
            previous = set(read_manifest(self.query_store).graph_names)
        except UnusableInput:
            previous = set()
        self._send("DELETE", MANIFEST_GRAPH)
        outcomes = []
        for graph, triples in graphs.items():
            outcome = self.replace(graph, triples)
            self.echo(f"  {'current' if outcome.current else 'NOT CURRENT':11} {outcome.triples:>9} "
                      f"triples  <{graph}>{'  ' + outcome.note if outcome.note else ''}", err=True)
            outcomes.append(outcome)
        if not all(o.current for o in outcomes):
            return outcomes
        for stale in sorted(previous - set(graphs)):
            self._send("DELETE", stale)
            self.echo(f"  deleted                       <{stale}> (no longer in the dataset)", err=True)
        record = manifest_triples(len(graphs[DEFAULT_GRAPH]),
                                  [(g, len(t)) for g, t in graphs.items() if g not in (DEFAULT_GRAPH, UNION_GRAPH)],
                                  len(graphs[UNION_GRAPH]) if UNION_GRAPH in graphs else None)
        self._send("PUT", MANIFEST_GRAPH, ox.serialize(record, format=ox.RdfFormat.N_TRIPLES))
        read_manifest(self.query_store)
        return outcomes


@click.command()
@click.option("--store", "store_url", required=True, metavar="URL",
              help="The store's Graph Store Protocol endpoint, e.g. http://host:7878/store.")
@click.option("--query", "query_url", metavar="URL",
              help="The store's SPARQL query endpoint, for the checks (default: derived from --store).")
@click.option("--kind", type=click.Choice(["auto", "sparql", "virtuoso"]), default="auto", show_default=True,
              help="The store's adapter (auto: Virtuoso by its Server header, else the protocols as written).")
@click.option("--data", multiple=True, type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Push this RDF file too (any syntax; named graphs kept). Repeatable.")
@click.option("--no-default-graph", is_flag=True, help="Do not push the shipped graph: only the ontology and --data.")
@click.option("--sources", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of source files for quote verification.")
@click.option("--skip-quotes", is_flag=True, help="Validate without checking quotes against sources.")
@click.option("--retries", type=click.IntRange(0, 10), default=3, show_default=True,
              help="Attempts after a failed PUT or a wrong count, per graph.")
@click.option("--timeout", type=click.FloatRange(min=1), default=600.0, show_default=True,
              help="Seconds per request to the store.")
@click.pass_obj
def push(layout: Layout, store_url, query_url, kind, data, no_default_graph, sources, skip_quotes,
         retries, timeout) -> None:
    """Validate the dataset, then load it into an external store (one graph per source).

    Each graph is replaced whole (idempotent) and its triple count checked; the
    store is marked complete only when every graph is current. Exit 1 if the data
    does not conform or a graph could not be made current.
    """
    from chipkg.validate.reports import render

    from ..config import DEFAULTS
    from ..dataset import InvalidData, load_dataset
    from . import open_store

    settings = {**DEFAULTS, "PROJECT_ROOT": str(layout.root), "SOURCES_DIR": sources and str(sources),
                "SKIP_QUOTES": skip_quotes, "DATA_FILES": [str(p) for p in data],
                "INCLUDE_SHIPPED_GRAPH": not no_default_graph}
    try:        # the store first: no validation is spent on a push that cannot happen
        query_store = open_store(query_url or query_endpoint_of(store_url), kind=kind, timeout=timeout)
    except SparqlError as error:
        raise UnusableInput(error.message) from None
    click.echo("chipkg push: reading and validating the dataset ...", err=True)
    try:
        dataset = load_dataset(settings)
    except InvalidData as invalid:
        click.echo(render(invalid.outcome, "text"), err=True, nl=False)
        click.echo("chipkg push: the data does not conform; not pushing it", err=True)
        raise SystemExit(1) from None
    graphs = graphs_of(dataset.store)
    click.echo(f"chipkg push: {len(graphs)} graphs to {store_url} ({query_store.kind} store; "
               f"checks through {query_store.endpoint})", err=True)
    pusher = Pusher(store_url, query_store, timeout=timeout, retries=retries)
    try:
        outcomes = pusher.push(graphs)
    except SparqlError as error:
        click.echo(f"chipkg push: failed: {error.message}; the store holds no complete push "
                   "(serve --backend refuses it until a push completes)", err=True)
        raise SystemExit(1) from None
    behind = [o for o in outcomes if not o.current]
    if behind:
        click.echo(f"chipkg push: {len(behind)} of {len(outcomes)} graphs are NOT current (listed above); "
                   "the push record was not written, so serve --backend refuses this store until a "
                   "push completes", err=True)
        raise SystemExit(1)
    data = [o for o in outcomes if o.graph != UNION_GRAPH]
    click.echo(f"chipkg push: all {len(outcomes)} graphs current ({sum(o.triples for o in data)} triples "
               f"in {len(data)} data graphs, and their union); push record written", err=True)
