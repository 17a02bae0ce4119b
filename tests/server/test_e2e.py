"""End to end: the real `chipkg serve` process on a free loopback port, queried by
SPARQLWrapper (every result format, GET and both POSTs), rdflib's SPARQLStore and
plain HTTP; and a timeout that really frees the CPU."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

from endpoint_helpers import CK, CONSTRUCT_DEALS, DEALS
from process_helpers import Serve, children

pytestmark = pytest.mark.e2e
TIMEOUT = 1.5
# a three-way cartesian product of the shipped graph: runs for many minutes unless stopped
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DEAL = URIRef("https://w3id.org/chipkg/ontology#Deal")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server(sources, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    argv = [sys.executable, "-c", "from chipkg.cli import cli; cli()", "serve", "--port", str(port),
            "--workers", "2", "--timeout", str(TIMEOUT), "--sources", str(sources)]
    with open(log, "wb") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if get(port, "/-/health")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "server not ready in 60 s:\n" + log.read_text()
            time.sleep(0.2)
        yield {"port": port, "url": f"http://127.0.0.1:{port}/sparql", "process": process, "log": log}
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wrapper(server, query: str, fmt: str, method: str = GET) -> SPARQLWrapper:
    sparql = SPARQLWrapper(server["url"])
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    if method == POSTDIRECTLY:
        sparql.setMethod(POST)
        sparql.setRequestMethod(POSTDIRECTLY)
    else:
        sparql.setMethod(method)
    return sparql


@pytest.mark.parametrize("method", [GET, POST, POSTDIRECTLY])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_in_every_results_format(server, fmt, method):
    response = wrapper(server, DEALS, fmt, method).query()
    assert response.response.headers["Chipkg-Truncated"] == "false"
    converted = response.convert()
    if fmt == JSON:
        deals = [b["deal"]["value"] for b in converted["results"]["bindings"]]
    elif fmt == XML:
        deals = [n.firstChild.firstChild.data for n in converted.getElementsByTagName("binding")]
    else:
        lines = converted.decode().strip().splitlines()
        deals = [line.strip("<>") for line in lines[1:]]
    assert len(deals) == 4 and all(d.startswith("https://w3id.org/chipkg/id/deal-") for d in deals)


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(server, fmt):
    converted = wrapper(server, CK + "ASK { ?d a ck:Deal }", fmt).query().convert()
    assert (converted["boolean"] if fmt == JSON else
            converted.getElementsByTagName("boolean")[0].firstChild.data == "true") is True


# SPARQLWrapper 2.0 parses RDF/XML and JSON-LD answers into rdflib's deprecated ConjunctiveGraph
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [TURTLE, XML, JSONLD, N3])
def test_sparqlwrapper_construct_in_rdf_formats(server, fmt, method):
    graph = wrapper(server, CONSTRUCT_DEALS, fmt, method).query().convert()
    if fmt in (TURTLE, N3):      # SPARQLWrapper returns Turtle as bytes
        graph = Graph().parse(data=graph, format="turtle")
    assert isinstance(graph, Graph)
    assert len(set(graph.subjects(RDF.type, DEAL))) == 4


def test_rdflib_sparqlstore(server):
    graph = Graph(SPARQLStore(server["url"]))
    rows = list(graph.query(DEALS))
    assert len(rows) == 4
    assert len(set(graph.subjects(RDF.type, DEAL))) == 4
    constructed = graph.query(CONSTRUCT_DEALS).graph
    assert len(set(constructed.subjects(RDF.type, DEAL))) == 4
    assert bool(graph.query(CK + "ASK { ?d a ck:Deal }")) is True


def test_plain_http_service_description_void_and_the_page(server):
    status, headers, body = get(server["port"], "/sparql", {"Accept": "text/turtle"})
    assert status == 200 and b"sd:Service" in body
    status, headers, body = get(server["port"], "/.well-known/void")
    assert status == 200 and b"void:triples" in body
    status, headers, body = get(server["port"], "/", {"Accept": "text/html"})
    assert status == 200 and b"<form" in body
    assert headers["Server"].startswith("gunicorn")


def test_long_get_query_and_keep_alive(server):
    padding = "# " + "x" * 6000 + "\n"
    status, headers, body = get(server["port"], "/sparql?query=" + _quote(padding + DEALS),
                                {"Accept": "text/csv"})
    assert status == 200 and body.count(b"\n") == 5
    connection = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=30)
    try:
        for _ in range(3):      # one connection, several queries
            connection.request("POST", "/sparql", body=DEALS.encode(),
                               headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
            response = connection.getresponse()
            assert response.status == 200 and response.read().count(b"\n") == 5
    finally:
        connection.close()


def test_queries_that_overflow_a_default_thread_stack_do_not_kill_a_worker(server):
    """9,900 negations crash pyoxigraph on an 8 MB thread stack (measured); the engine's
    256 MB stacks and the operator limit (10,000) keep the worker alive."""
    before = children(server["process"].pid)
    query = "SELECT * WHERE { FILTER(" + "!" * 9900 + "true) }"
    status, headers, body = get(server["port"], "/sparql?query=" + _quote(query))
    assert status == 200 and json.loads(body)["results"]["bindings"] == [{}]
    status, headers, body = get(server["port"], "/sparql?query=" + _quote(query.replace("!", "!!", 200)))
    assert status == 400 and b"operators" in body
    status, headers, body = get(server["port"], "/sparql?query=" + _quote(
        "SELECT * WHERE " + "{" * 5000 + "}" * 5000))
    assert status == 400 and b"nested 5000 levels" in body
    assert set(children(server["process"].pid)) == set(before)


def test_timeout_in_a_thread_answers_503_then_the_worker_is_replaced_and_the_cpu_freed(sources, tmp_path):
    """Without query processes (ISOLATE_QUERIES off: server/protocol/isolation.py has the
    default, tested in test_isolation_e2e.py), the worker that ran a runaway is retired."""
    with Serve(["--workers", "2", "--timeout", str(TIMEOUT), "--sources", str(sources)],
               env={"CHIPKG_ISOLATE_QUERIES": "0"}, log=tmp_path / "serve.log") as running:
        _replaced_after_timeout({"port": running.port, "process": running.process, "log": running.log})


def _replaced_after_timeout(server) -> None:
    pid = server["process"].pid
    deadline = time.monotonic() + 15
    while len(children(pid)) != 2:
        assert time.monotonic() < deadline, "the two workers are not up"
        time.sleep(0.1)
    before = children(pid)
    began = time.monotonic()
    status, headers, body = get(server["port"], "/sparql?query=" + _quote(RUNAWAY),
                                {"Accept": "application/json"})
    elapsed = time.monotonic() - began
    assert status == 503 and TIMEOUT <= elapsed < TIMEOUT + 2
    assert json.loads(body)["status"] == 503 and "time limit" in json.loads(body)["error"]
    assert headers["Retry-After"]
    # the worker that ran it exits and gunicorn forks a fresh one from the master
    deadline = time.monotonic() + 15
    while True:
        now = children(pid)
        if len(now) == 2 and len(set(now) - set(before)) == 1:
            break
        assert time.monotonic() < deadline, f"no worker was replaced: {before} -> {now}"
        time.sleep(0.1)
    gone = set(before) - set(now)
    assert len(gone) == 1 and not Path(f"/proc/{gone.pop()}").exists()
    # no process of the server keeps computing: idle CPU over one second
    ticks = sum(now.values())
    time.sleep(1.0)
    assert sum(children(pid).values()) - ticks < 0.3 * os.sysconf("SC_CLK_TCK")
    began = time.monotonic()
    status, headers, body = get(server["port"], "/sparql?query=" + _quote(DEALS))
    assert status == 200 and time.monotonic() - began < 1.0
    status, headers, body = get(server["port"], "/-/metrics")
    metrics = body.decode()
    assert "chipkg_query_timeouts_total 1" in metrics and "chipkg_workers_retired_total 1" in metrics
    assert "retiring worker" in server["log"].read_text()


def _quote(text: str) -> str:
    from urllib.parse import quote
    return quote(text, safe="")
