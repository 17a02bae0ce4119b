"""The union default graph that `chipkg push` materialises: a union query over an external
store names that one graph, and named graphs go only to queries with a GRAPH pattern
(listing every source graph per query made stores slow: bench/README.md, "Backends")."""

import pytest

from chipkg.server.backends import remote_dataset
from chipkg.server.backends.manifest import UNION_GRAPH
from chipkg.server.backends.remote import RemoteStore
from chipkg.server.config import DEFAULTS
from conftest import backends

REMOTE = [b for b in backends() if b != "embedded"]


def test_a_union_query_names_one_graph_and_named_graphs_go_only_to_graph_patterns():
    sent = []

    def record(store):
        store._ask_store = lambda text, form, defaults, named: sent.append((defaults, named))
        return store
    pushed = record(RemoteStore("http://127.0.0.1:9/sparql").with_dataset("urn:d", ("urn:g1", "urn:g2"), "urn:u"))
    pushed.query("SELECT * WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    pushed.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", use_default_graph_as_union=True)
    pushed.query("SELECT * WHERE { ?s ?p ?o }")
    older = record(RemoteStore("http://127.0.0.1:9/sparql").with_dataset("urn:d", ("urn:g1", "urn:g2")))
    older.query("SELECT * WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    assert sent == [(["urn:u"], []), (["urn:u"], ["urn:g1", "urn:g2"]), (["urn:d"], []),
                    (["urn:d", "urn:g1", "urn:g2"], [])]


@pytest.mark.parametrize("kind", REMOTE)
def test_push_records_the_materialised_union(external_stores, embedded_shipped, kind):
    store = external_stores(kind)
    served = remote_dataset({**DEFAULTS, "BACKEND_URL": store.query_url}).store
    assert served.union_graph == UNION_GRAPH
    rows = list(served.query(f"SELECT (COUNT(*) AS ?n) FROM <{UNION_GRAPH}> WHERE {{ ?s ?p ?o }}"))
    assert int(rows[0]["n"].value) == embedded_shipped.triples
