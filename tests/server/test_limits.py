"""Limits that hold: rows (with the truncation signal), time, concurrency, size, depth, federation."""

import json
import socket
import threading
import time

import pyoxigraph as ox
import pytest

from chipkg.formats import formats_of
from chipkg.server import RETIRE_KEY, create_app
from endpoint_helpers import CK, slow_for

LIMIT = 5


@pytest.fixture(scope="module")
def time_limit(backend) -> float:
    """0.25 s embedded; 1.5 s over a remote store, where every answer is a round trip to a
    store that computes it whole first (Virtuoso), on a machine others load too. `slow_for`
    still runs far longer there (tens of seconds unless the store stops it)."""
    return 0.25 if backend == "embedded" else 1.5


@pytest.fixture(scope="module")
def settings(time_limit):
    return {"MAX_RESULT_ROWS": LIMIT, "QUERY_TIMEOUT_SECONDS": time_limit, "MAX_CONCURRENT_QUERIES": 1,
            "SLOT_WAIT_SECONDS": 0, "MAX_LONG_QUERIES": 0,     # one slot, no long lane (test_priority)
            "MAX_REQUEST_BYTES": 2000, "MAX_QUERY_DEPTH": 20, "MAX_QUERY_OPERATORS": 60,
            "RETRY_AFTER_SECONDS": 3}


def values_query(texts: list[str]) -> str:
    rows = " ".join(json.dumps(t) for t in texts)
    return f"SELECT ?x WHERE {{ VALUES ?x {{ {rows} }} }}"


def rows_of(fmt, body: bytes) -> int:
    if fmt.name == "csv":
        return body.count(b"\r\n") - 1
    return len(list(ox.parse_query_results(body, fmt.results)))


@pytest.mark.parametrize("fmt", formats_of("results"), ids=lambda f: f.name)
def test_select_is_cut_at_the_limit_and_says_so(client, fmt):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"},
                          headers={"Accept": fmt.media_type})
    assert response.status_code == 200
    assert response.headers["Chipkg-Truncated"] == "true"
    assert response.headers["Chipkg-Row-Limit"] == str(LIMIT)
    assert rows_of(fmt, response.data) == LIMIT


@pytest.mark.parametrize("fmt", formats_of("results"), ids=lambda f: f.name)
@pytest.mark.parametrize("count, truncated", [(LIMIT, False), (LIMIT + 1, True)])
def test_exactly_the_limit_is_not_truncated_one_more_is(client, fmt, count, truncated):
    # literals that look like row separators to the cheap counters, to force the exact path
    texts = ['a"},{"b', "line\nbreak", "tab\there", "}},{{", "x\r\ny", "<result>", "z"][:count]
    response = client.get("/sparql", query_string={"query": values_query(texts)},
                          headers={"Accept": fmt.media_type})
    assert response.headers["Chipkg-Truncated"] == ("true" if truncated else "false")
    assert rows_of(fmt, response.data) == min(count, LIMIT) or fmt.name == "csv"
    if fmt.name != "csv":
        got = [s["x"].value for s in ox.parse_query_results(response.data, fmt.results)]
        assert got == texts[:LIMIT]


@pytest.mark.parametrize("fmt", formats_of("graph"), ids=lambda f: f.name)
def test_construct_is_cut_at_the_limit_and_says_so(client, fmt):
    response = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                          headers={"Accept": fmt.media_type})
    assert response.headers["Chipkg-Truncated"] == "true"
    assert len(list(ox.parse(response.data, format=fmt.rdf))) == LIMIT


def test_small_answers_are_not_flagged(client):
    response = client.get("/sparql", query_string={"query": CK + "SELECT ?d WHERE { ?d a ck:Deal }"})
    assert response.headers["Chipkg-Truncated"] == "false"
    response = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert response.headers["Chipkg-Truncated"] == "false"


def test_html_view_notes_the_cut(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "html"})
    page = response.data.decode()
    assert response.headers["Chipkg-Truncated"] == "true"
    assert "Truncated:" in page and f"only the first {LIMIT}" in page
    assert page.count("<tr>") == LIMIT + 1


def wait_until_idle(app, seconds: float = 20.0) -> None:
    """Wait until no query computes any more (a timed-out one runs on in this process)."""
    metrics = app.extensions["chipkg"].metrics
    deadline = time.monotonic() + seconds
    while metrics.total("in_flight") > 0:
        assert time.monotonic() < deadline, "a query kept running"
        time.sleep(0.05)


@pytest.fixture
def environs(app, monkeypatch) -> list[dict]:
    """The WSGI environ of each request, as the app left it (gunicorn's hooks read it)."""
    seen, inner = [], app.wsgi_app

    def capture(environ, start_response):
        seen.append(environ)
        return inner(environ, start_response)

    monkeypatch.setattr(app, "wsgi_app", capture)
    return seen


def test_timeout_answers_503_at_once_asks_for_a_fresh_worker_and_holds_the_slot(app, client, environs,
                                                                              time_limit, backend):
    began = time.monotonic()
    response = client.get("/sparql", query_string={"query": slow_for(backend)},
                          headers={"Accept": "application/json"})
    elapsed = time.monotonic() - began
    assert response.status_code == 503 and elapsed < time_limit + 0.75
    body = json.loads(response.data)
    assert body == {"ok": False, "status": 503, "error": body["error"]}
    assert f"time limit of {time_limit:g} s" in body["error"] and response.headers["Retry-After"] == "3"
    assert environs[-1].get(RETIRE_KEY) is True
    # the runaway computation still holds the only query slot: busy until it ends
    busy = client.get("/sparql", query_string={"query": "ASK {}"})
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "3"
    assert b"too many queries" in busy.data
    assert environs[-1].get(RETIRE_KEY) is None
    wait_until_idle(app)
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    metrics = app.extensions["chipkg"].metrics
    assert metrics.total("query_timeouts_total") >= 1 and metrics.total("queries_rejected_busy_total") >= 1


def test_concurrent_queries_beyond_the_limit_get_503_with_retry_after(app, client, backend):
    started = threading.Event()
    results = {}

    def slow_client():
        started.set()
        results["slow"] = app.test_client().get("/sparql", query_string={"query": slow_for(backend)})

    thread = threading.Thread(target=slow_client)
    thread.start()
    started.wait()
    time.sleep(0.05)
    response = client.get("/sparql", query_string={"query": "ASK {}"})
    thread.join()
    assert response.status_code == 503 and response.headers["Retry-After"] == "3"
    assert results["slow"].status_code == 503
    wait_until_idle(app)


def test_request_body_over_the_limit_is_413(client):
    query = "ASK {}" + " " * 3000
    assert client.post("/sparql", data=query.encode(), content_type="application/sparql-query").status_code == 413
    assert client.post("/sparql", data={"query": query}).status_code == 413


def test_query_string_over_the_limit_is_414(client):
    assert client.get("/sparql", query_string={"query": "ASK {}" + " " * 3000}).status_code == 414


@pytest.mark.parametrize("query", [
    "SELECT * WHERE " + "{" * 25 + " ?s ?p ?o " + "}" * 25,
    "SELECT * WHERE { FILTER(" + "(" * 25 + "1" + ")" * 25 + ") }",
    "SELECT * WHERE { ?s ?p " + "[ <urn:p> " * 25 + "?o" + " ]" * 25 + " }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<" + "(" * 25 + "1" + ")" * 25 + ">?s) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o" + ("<" + "(" * 10 + "?s>?o") * 3 + ")" * 31 + " }",
    "PREFIX ck: <urn:ck:>\nSELECT * WHERE { ?s ck:a\\#b " + "{" * 25 + " ?s ?p ?o " + "}" * 25 + " }",
    "SELECT * WHERE {\n" + "".join(f'?s ?p "{"(" * 8}" .\n' for _ in range(4)) + "}",
    "SELECT * WHERE {\n" + "# " + "{" * 25 + "\n?s ?p ?o }",
], ids=["braces", "parentheses", "blank-nodes", "inside-a-fake-iri", "unclosed-in-fake-iris",
        "after-an-escaped-hash", "unclosed-in-strings", "inside-a-comment"])
def test_deep_nesting_is_refused_before_the_engine(client, query):
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400 and b"nested" in response.data and b"limit is 20" in response.data


def test_nesting_up_to_the_limit_is_fine_and_brackets_in_strings_and_iris_do_not_count(client):
    ok = "SELECT * WHERE " + "{" * 19 + " ?s ?p ?o " + "}" * 19 + " LIMIT 1"
    assert client.get("/sparql", query_string={"query": ok}).status_code == 200
    text = 'SELECT * WHERE { BIND("' + "(" * 15 + '" AS ?x) BIND(<urn:x:' + "(a)" * 40 + "> AS ?y) }"
    assert client.get("/sparql", query_string={"query": text}).status_code == 200
    many = " ".join(f"<http://dbpedia.org/resource/Chip_(n{i})>" for i in range(30))
    values = f"SELECT ?x WHERE {{ VALUES ?x {{ {many} }} }} # a comment (with brackets)"
    assert client.post("/sparql", data=values.encode(), content_type="application/sparql-query").status_code == 200


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 61 + "true) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["true"] * 31) + ") }",
    "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 61) + " }",
    "SELECT * WHERE { ?s " + " ; ".join(["?p ?o"] * 61) + " }",
], ids=["negations", "disjunction", "unions", "predicate-list"])
def test_long_chains_are_refused_before_the_engine(client, query):
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400 and b"operators" in response.data and b"limit is 60" in response.data


def test_long_lists_of_values_and_typed_literals_are_fine(client):
    values = " ".join(f'"{i}"^^<http://www.w3.org/2001/XMLSchema#integer>' for i in range(25))
    query = f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} }}"
    response = client.post("/sparql", data=query.encode(), content_type="application/sparql-query",
                           headers={"Accept": "text/csv"})
    assert response.status_code == 200 and response.data.count(b"\n") == 1 + LIMIT


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
    "PREFIX ex: <http://example.org/>\nSELECT * WHERE { service ex:sparql { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?e . SERVICE ?e { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o .SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
], ids=["iri", "silent", "prefixed", "variable", "after-a-dot"])
def test_service_is_refused_when_not_allowed(client, query):
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 403 and b"SERVICE" in response.data


def test_the_word_service_in_strings_iris_and_comments_is_fine(client):
    query = ('SELECT ?x WHERE { BIND("SERVICE <http://e.org/> {}" AS ?x) '
             "BIND(<urn:SERVICE> AS ?y) } # SERVICE <http://e.org/>")
    assert client.get("/sparql", query_string={"query": query}).status_code == 200


def test_service_on_the_allow_list_reaches_the_engine(shipped):
    with socket.socket() as probe:      # a loopback port where nothing listens
        probe.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{probe.getsockname()[1]}/sparql"
    client = create_app({"SERVICE_ALLOW_LIST": [endpoint]}, shipped).test_client()
    query = f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 502 and b"SERVICE call failed" in response.data
    other = client.get("/sparql", query_string={"query": query.replace(endpoint, endpoint + "x")})
    assert other.status_code == 403 and endpoint.encode() in other.data
    description = client.get("/sparql", headers={"Accept": "application/n-triples"}).data
    assert b"<http://www.w3.org/ns/sparql-service-description#BasicFederatedQuery>" in description
