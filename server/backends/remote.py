"""A remote SPARQL 1.1 Protocol endpoint behind the interface of pyoxigraph's `Store.query`.

`RemoteStore.query(text, use_default_graph_as_union=, default_graph=, named_graphs=,
substitutions=)` returns what `Store.query` returns — pyoxigraph `QuerySolutions`
and `QueryBoolean` parsed from the store's answer, or `Triples` — so the engine,
the protocol, the pages and the counts in `dataset_of` run unchanged over it.

* Syntax: the text is parsed first by Oxigraph (evaluated on an empty in-memory
  store), so a malformed query gets the same 400 on every backend and a store only
  ever sees valid SPARQL 1.1. Queries calling SERVICE skip that check (it would
  make the call).
* The dataset is always sent explicitly (`default-graph-uri`, `named-graph-uri`),
  from the push record (`manifest`): the served default graph lives in a named
  graph of its own in the store, and the union default graph is the graph in
  which push materialised it (or, for an older push, that graph plus every source
  graph). The named graphs are sent only to a query with a GRAPH pattern. The
  store's own default graph and any other graphs it holds (Virtuoso's system
  graphs) are never seen. A query naming its own dataset
  (FROM) is sent without dataset parameters, so its FROM holds.
* Substitutions are bound by a `VALUES` block placed first in the query's WHERE
  group, with terms written by pyoxigraph (escaped SPARQL syntax), never by
  pasting request text.
* Limits: the answer streams into pyoxigraph's parsers, which the engine stops
  after MAX_RESULT_ROWS; every read has one deadline (`with_timeout`); a store that
  cannot be reached is 503, a store error 502, a query the store refuses 400.
"""

import copy
import threading
import urllib.parse

import pyoxigraph as ox

from ..errors import SparqlError, bad_request, store_failed
from ..protocol.guard import tokenize
from . import http
from .triples import Triples

FORM_WORDS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


class RemoteStore:
    """A store reached through the SPARQL 1.1 Protocol (generic: Oxigraph server, Fuseki, ...)."""

    kind = "sparql"
    results_media = ("application/sparql-results+json", ox.QueryResultsFormat.JSON)
    graph_media = ("application/n-triples", ox.RdfFormat.N_TRIPLES)

    def __init__(self, endpoint: str, *, timeout: float = 30.0, credentials=None,
                 default_graph: str | None = None, graphs: tuple[str, ...] = ()):
        self.endpoint = endpoint
        self.timeout = timeout
        self.credentials = credentials
        self.default_graph = default_graph      # the named graph holding the served default graph
        self.graphs = tuple(graphs)             # the source graphs, served as named graphs
        self.union_graph = None                 # the union of both, materialised by push
        self._checker = ox.Store()
        self._answers = threading.local()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.endpoint}>"

    def with_timeout(self, seconds: float) -> "RemoteStore":
        """The same store, with `seconds` for each whole answer."""
        other = copy.copy(self)
        other.timeout, other._answers = seconds, threading.local()
        return other

    def with_dataset(self, default_graph: str, graphs, union_graph: str | None = None) -> "RemoteStore":
        other = copy.copy(self)
        other.default_graph, other.graphs, other.union_graph = default_graph, tuple(graphs), union_graph
        other._answers = threading.local()
        return other

    # -- the Store.query interface ------------------------------------------------------

    def query(self, query: str, *, use_default_graph_as_union: bool = False, default_graph=None,
              named_graphs=None, substitutions: dict | None = None, base_iri: str | None = None,
              **ignored):
        tokens = tokenize(query)[0]
        text = bind(query, tokens, substitutions) if substitutions else query
        form = self._form(text, tokens, base_iri)
        if base_iri and not any(t.kind == "word" and t.text.upper() == "BASE" for t in tokens):
            # (a query's own BASE wins; Virtuoso reads only the first of two) the embedded store takes the base as an argument; over the protocol it is the
            # query's own BASE (str(NamedNode) is its escaped, validated <...> form), added
            # after the check above so syntax errors keep their line and column
            text = f"BASE {ox.NamedNode(base_iri)}\n{text}"
        if default_graph is not None or named_graphs is not None:
            defaults = [self._graph_name(g) for g in (default_graph or [])]
            named = [self._graph_name(g) for g in (named_graphs or [])]
        elif _names_dataset(tokens):
            defaults, named = None, None
        else:
            defaults = [self.default_graph] if self.default_graph else []
            if use_default_graph_as_union:
                defaults = [self.union_graph] if self.union_graph else defaults + list(self.graphs)
            # named graphs matter only to a GRAPH pattern: without one, thousands of graph
            # names would be sent (and parsed by the store) for nothing
            uses_graph = any(t.kind == "word" and t.text.upper() == "GRAPH" for t in tokens)
            named = list(self.graphs) if uses_graph else []
        return self._ask_store(text, form, defaults, named)

    # -- the Graph Store Protocol side (used by `chipkg push`) ----------------------------

    gsp_media = "application/n-triples"

    def gsp_target(self, store_url: str, graph: str) -> str:
        """The URL of one named graph at the GSP endpoint `store_url` (indirect identification)."""
        return store_url + ("&" if "?" in store_url else "?") + urllib.parse.urlencode({"graph": graph})

    # -- the parts an adapter may change -------------------------------------------------

    def _form(self, text: str, tokens, base_iri: str | None = None) -> str:
        """SELECT, ASK or graph; raises SyntaxError like Store.query for a malformed query."""
        if any(t.kind == "word" and t.text.upper() == "SERVICE" for t in tokens):
            word = next((t.text.upper() for t in tokens if t.kind == "word"
                         and t.text.upper() in FORM_WORDS), "SELECT")
            return {"SELECT": "select", "ASK": "ask"}.get(word, "graph")
        checked = self._checker.query(text, base_iri=base_iri)
        if isinstance(checked, ox.QueryBoolean):
            return "ask"
        return "select" if isinstance(checked, ox.QuerySolutions) else "graph"

    def _graph_name(self, graph) -> str:
        if isinstance(graph, ox.DefaultGraph):
            return self.default_graph
        return graph.value

    def _request(self, text: str, form: str, defaults, named) -> tuple[str, bytes, dict]:
        """(URL, body, headers): a form POST, which every store takes for any length of query."""
        fields = [("query", text)]
        fields += [("default-graph-uri", g) for g in defaults or ()]
        fields += [("named-graph-uri", g) for g in named or ()]
        accept = self.graph_media[0] if form == "graph" else self.results_media[0]
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                   "Accept": accept}
        return self.endpoint, urllib.parse.urlencode(fields).encode("utf-8"), headers

    def _ask_store(self, text: str, form: str, defaults, named):
        url, body, headers = self._request(text, form, defaults, named)
        reply = http.request("POST", url, body=body, headers=headers, timeout=self.timeout,
                             credentials=self.credentials)
        if reply.status != 200:
            raise self._failure(reply, text)
        self._check(reply)
        media = (reply.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        body = self._readable(reply.body, media)
        if form == "select":
            body = _Recording(body)
            self._answers.last = (body, media)
        try:
            if form == "graph":
                fmt = ox.RdfFormat.from_media_type(media) or self.graph_media[1]
                return Triples(ox.parse(body, format=fmt))
            fmt = ox.QueryResultsFormat.from_media_type(media) or self.results_media[1]
            return ox.parse_query_results(body, format=fmt)
        except (SyntaxError, ValueError) as error:
            reply.body.close()
            raise store_failed(f"the store's answer could not be read ({media or 'no media type'}): "
                               f"{error}") from None

    HEALTH_TIMEOUT = 5.0

    def alive(self) -> None:
        """Raise StoreUnreachable (503) or a 502 unless the store answers `ASK {}` within
        HEALTH_TIMEOUT seconds. No dataset is sent: this asks whether the store is up, not
        what it holds, and costs the store nothing."""
        store = self.with_timeout(min(self.timeout, self.HEALTH_TIMEOUT))
        store._ask_store("ASK {}", "ask", None, None)

    def again(self):
        """The last SELECT answer of this thread once more, from its first byte: the bytes
        already read, then the rest of the same stream (the engine's second pass over an
        answer near the row limit costs no second query). Then forgotten."""
        last = getattr(self._answers, "last", None)
        self._answers.last = None
        if last is None or last[0].overflowed:
            raise RuntimeError("no answer to replay")
        recording, media = last
        fmt = ox.QueryResultsFormat.from_media_type(media) or self.results_media[1]
        return ox.parse_query_results(recording.replay(), format=fmt)

    def _check(self, reply: http.Reply) -> None:
        """Raise if a 200 answer must not be served (an adapter knows its store's signals)."""

    def _readable(self, body, media: str):
        """The answer's body as pyoxigraph should read it (an adapter may filter it)."""
        return body

    def _failure(self, reply: http.Reply, text: str) -> SparqlError:
        message = " ".join(reply.text().split())[:500] or "(no message)"
        reply.body.close()
        if reply.status in (401, 403):
            return store_failed(f"the store refused chipkg's credentials (HTTP {reply.status}); set "
                                "CHIPKG_STORE_USER/CHIPKG_STORE_PASSWORD or a netrc entry: {message}")
        if reply.status == 404:
            return store_failed(f"no SPARQL endpoint at {self.endpoint} (HTTP 404)")
        if 400 <= reply.status < 500:
            return bad_request(f"the store refused the query (HTTP {reply.status}): {message}")
        return store_failed(f"the store failed to answer (HTTP {reply.status}): {message}")


def _names_dataset(tokens) -> bool:
    return any(t.kind == "word" and t.depth == 0 and t.text.upper() == "FROM" for t in tokens)


def bind(query: str, tokens, substitutions: dict) -> str:
    """The query with `substitutions` bound by a VALUES block opening its WHERE group.

    The terms are written by pyoxigraph (`str(term)`: escaped SPARQL syntax); blank
    nodes cannot be bound this way and are refused.
    """
    names, terms = [], []
    for variable, term in substitutions.items():
        if isinstance(term, ox.BlankNode) or not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise ValueError(f"cannot bind {variable} to {term!r} on a remote store")
        names.append(str(variable if isinstance(variable, ox.Variable) else ox.Variable(variable)))
        terms.append(str(term))
    block = f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"
    form = next((i for i, t in enumerate(tokens) if t.kind == "word" and t.depth == 0
                 and t.text.upper() in FORM_WORDS), None)
    if form is None:
        return query + "\n" + block
    opens = [t for t in tokens[form:] if t.kind == "open" and t.text == "{" and t.depth == 0]
    after = tokens[form + 1] if form + 1 < len(tokens) else None
    if tokens[form].text.upper() == "CONSTRUCT" and after is not None:
        if after.kind == "word" and after.text.upper() == "WHERE":
            return query + "\n" + block          # CONSTRUCT WHERE { triples }: no room inside
        opens = opens[1:]                        # skip the template
    if not opens:
        return query + "\n" + block
    at = opens[0].end
    return query[:at] + " " + block + " " + query[at:]


class _Recording(http.Readable):
    """A body that keeps what it has read (up to LIMIT bytes), so it can be read again."""

    LIMIT = 64 * 1024 * 1024

    def __init__(self, body):
        self.body = body
        self.kept = bytearray()
        self.overflowed = False

    def read(self, size: int = -1) -> bytes:
        data = self.body.read(size)
        if not self.overflowed:
            self.kept += data
            if len(self.kept) > self.LIMIT:
                self.overflowed, self.kept = True, bytearray()
        return data

    def replay(self) -> "_Replay":
        return _Replay(bytes(self.kept), self.body)


class _Replay(_Recording):
    """The recorded bytes first, then the rest of the live body."""

    def __init__(self, recorded: bytes, body):
        super().__init__(body)
        self.recorded, self.overflowed = recorded, True

    def read(self, size: int = -1) -> bytes:
        if self.recorded:
            size = len(self.recorded) if size is None or size < 0 else size
            data, self.recorded = self.recorded[:size], self.recorded[size:]
            return data
        return self.body.read(size)
