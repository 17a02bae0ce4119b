"""Where the engine's queries run: the embedded pyoxigraph store, or an external store.

An external store is any SPARQL store speaking the two W3C protocols: the SPARQL
1.1 Protocol for queries (`chipkg serve --backend URL`) and the Graph Store HTTP
Protocol for loading (`chipkg push --store URL`). `remote.RemoteStore` gives it
the interface of pyoxigraph's `Store.query`, so everything above the engine is
unchanged; `virtuoso.VirtuosoStore` is the one adapter for a store that deviates
from the protocols. `manifest` is the push record both commands share.

Kept free of imports at package level: the protocol imports `triples` from here.
"""


def open_store(url: str, *, kind: str = "auto", timeout: float = 30.0):
    """A RemoteStore for the query endpoint `url`; `kind` auto, sparql or virtuoso."""
    from . import http
    from .remote import RemoteStore
    from .virtuoso import VirtuosoStore, is_virtuoso

    credentials = http.credentials_for(url)
    if kind == "auto":
        kind = "virtuoso" if is_virtuoso(url, credentials, timeout) else "sparql"
    if kind not in ("sparql", "virtuoso"):
        raise ValueError(f"unknown store kind {kind!r}: use auto, sparql or virtuoso")
    cls = VirtuosoStore if kind == "virtuoso" else RemoteStore
    return cls(url, timeout=timeout, credentials=credentials)


def remote_dataset(config: dict):
    """The Dataset served from the external store at BACKEND_URL: counted there, nothing loaded."""
    from ..dataset import dataset_of
    from .manifest import read_manifest

    store = open_store(config["BACKEND_URL"], kind=config["BACKEND_KIND"],
                       timeout=max(30.0, config["QUERY_TIMEOUT_SECONDS"]))
    record = read_manifest(store)
    store = store.with_dataset(record.default_graph, record.graph_names, record.union_graph)
    return dataset_of(store, [config["BACKEND_URL"]])
