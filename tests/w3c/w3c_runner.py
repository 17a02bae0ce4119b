"""Running one W3C query-evaluation case two ways: on the bare engine, and through /sparql.

`through_endpoint` builds the app the way `chipkg serve` does (`create_app` over a
Dataset from `dataset_of`), with the test's query IRI as QUERY_BASE_IRI and the plain
default graph (the suite's semantics; chipkg's union default is a setting), and sends
the query as `application/sparql-query`, so every request passes the strict decoding,
the guard and the NOT EXISTS rewrite.
"""

import pyoxigraph as ox

from chipkg.server import create_app
from chipkg.server.dataset import dataset_of

from w3c_suite import Case, answer_of_graph, answer_of_results, store_for

SETTINGS = {"UNION_DEFAULT_GRAPH": False, "MAX_RESULT_ROWS": 100_000, "LOG_REQUESTS": False,
            "QUERY_TIMEOUT_SECONDS": 20.0, "FAIR_REQUESTS_PER_MINUTE": 0,
            "FAIR_QUERY_SECONDS_PER_MINUTE": 0}
SOLUTIONS = "application/sparql-results+json"
TRIPLES = "application/n-triples"


class Refused(Exception):
    """The endpoint answered with an error status."""


def on_engine(case: Case):
    results = store_for(case).query(case.text, base_iri=case.query)
    if isinstance(results, ox.QueryBoolean):
        return ("boolean", bool(results))
    if isinstance(results, ox.QuerySolutions):
        return answer_of_results(results.serialize(format=ox.QueryResultsFormat.JSON), "json")
    return answer_of_graph(ox.serialize(results, format=ox.RdfFormat.N_TRIPLES) or b"", "nt")


def endpoint_client(case: Case, store: ox.Store | None = None):
    app = create_app({**SETTINGS, "QUERY_BASE_IRI": case.query},
                     dataset_of(store if store is not None else store_for(case)))
    return app.test_client()


def through_endpoint(case: Case):
    client = endpoint_client(case)
    response = client.post("/sparql", data=case.text.encode("utf-8"),
                           content_type="application/sparql-query",
                           headers={"Accept": f"{SOLUTIONS}, {TRIPLES};q=0.9"})
    if response.status_code != 200:
        raise Refused(f"{response.status_code}: {response.get_data(as_text=True).strip()}")
    if response.mimetype == SOLUTIONS:
        return answer_of_results(response.data, "json")
    assert response.mimetype == TRIPLES, response.mimetype
    return answer_of_graph(response.data, "nt")
