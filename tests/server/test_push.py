"""`chipkg push`: graphs replaced whole and counted, idempotent re-push, stale graphs
removed, and a push that fails part-way reported graph by graph, never half pushed —
on a real `oxigraph serve`, with a forwarding proxy in front that fails chosen PUTs."""

import http.client
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from chipkg.errors import UnusableInput
from chipkg.server.backends import remote_dataset
from chipkg.server.backends.manifest import DEFAULT_GRAPH, UNION_GRAPH, read_manifest
from chipkg.server.backends.push import query_endpoint_of
from chipkg.server.backends.remote import RemoteStore
from chipkg.server.config import DEFAULTS
from endpoint_helpers import GRAPH
from stores import HOST, start_oxigraph

EXTRA = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/extra> { <https://example.org/x> rdfs:label "extra" . }
"""


class FaultyProxy:
    """Forwards every request to the store, except that a PUT of a graph named in
    `failing` (IRI -> how many times; -1 always) is answered 500 without forwarding."""

    def __init__(self, port: int):
        self.failing: dict[str, int] = {}
        self.puts: list[str] = []
        self.writes: list[tuple[str, str]] = []       # (method, graph) of every PUT and POST
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("graph", [""])[0]
                if self.command in ("PUT", "POST") and graph:
                    proxy.writes.append((self.command, graph))
                if self.command == "PUT":
                    proxy.puts.append(graph)
                    left = proxy.failing.get(graph, 0)
                    if left:
                        proxy.failing[graph] = left - 1 if left > 0 else -1
                        self.send_response(500)
                        self.send_header("Content-Length", "13")
                        self.end_headers()
                        self.wfile.write(b"injected fail")
                        return
                upstream = http.client.HTTPConnection(HOST, port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for key, value in answer.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                upstream.close()

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    store = start_oxigraph(tmp_path_factory.mktemp("push-oxigraph"))
    yield store
    store.stop()


@pytest.fixture
def proxy(oxigraph):
    faulty = FaultyProxy(oxigraph.port)
    yield faulty
    faulty.close()


@pytest.fixture
def run(runner, sources):
    from chipkg.cli import cli

    def invoke(store_url: str, *extra: str):
        return runner.invoke(cli, ["push", "--store", store_url, "--sources", str(sources), "--retries", "2",
                                   *extra])
    return invoke


def triples_in(store, graph: str) -> int:
    rows = list(RemoteStore(store.query_url).query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))
    return int(rows[0]["n"].value)


def test_push_then_push_again_is_idempotent(oxigraph, run, embedded_shipped):
    first = run(oxigraph.gsp_url)
    assert first.exit_code == 0, first.output
    assert "all 3 graphs current" in first.stderr
    counts = {g: triples_in(oxigraph, g) for g in (GRAPH, DEFAULT_GRAPH)}
    assert counts == {GRAPH: dict(embedded_shipped.graphs)[GRAPH],
                      DEFAULT_GRAPH: embedded_shipped.default_graph_triples}
    again = run(oxigraph.gsp_url)
    assert again.exit_code == 0, again.output
    assert {g: triples_in(oxigraph, g) for g in counts} == counts
    record = read_manifest(RemoteStore(oxigraph.query_url))
    assert record.graphs == ((GRAPH, counts[GRAPH]),) and record.default_triples == counts[DEFAULT_GRAPH]


def test_a_large_graph_goes_as_a_put_and_posts_and_is_counted_whole(oxigraph, proxy, run, monkeypatch,
                                                                     embedded_shipped):
    from chipkg.server.backends.push import Pusher
    monkeypatch.setattr(Pusher, "CHUNK", 500)
    result = run(f"http://{HOST}:{proxy.port}/store")
    assert result.exit_code == 0, result.output
    union = [method for method, graph in proxy.writes if graph == UNION_GRAPH]
    parts = -(-embedded_shipped.triples // 500)
    assert union == ["PUT"] + ["POST"] * (parts - 1)
    assert triples_in(oxigraph, UNION_GRAPH) == embedded_shipped.triples
    again = run(f"http://{HOST}:{proxy.port}/store")            # the PUT starts each graph afresh
    assert again.exit_code == 0 and triples_in(oxigraph, UNION_GRAPH) == embedded_shipped.triples


def test_graphs_no_longer_in_the_dataset_are_removed(oxigraph, run, tmp_path):
    extra = tmp_path / "extra.trig"
    extra.write_text(EXTRA)
    assert run(oxigraph.gsp_url, "--data", str(extra)).exit_code == 0
    assert triples_in(oxigraph, "https://example.org/extra") == 1
    result = run(oxigraph.gsp_url)
    assert result.exit_code == 0 and "deleted" in result.stderr
    assert triples_in(oxigraph, "https://example.org/extra") == 0
    served = remote_dataset({**DEFAULTS, "BACKEND_URL": oxigraph.query_url})
    assert [name for name, _ in served.graphs] == [GRAPH]


def test_a_failed_put_is_retried(oxigraph, proxy, run):
    proxy.failing[GRAPH] = 1
    result = run(f"http://{HOST}:{proxy.port}/store")
    assert result.exit_code == 0, result.output
    assert proxy.puts.count(GRAPH) == 2 and "all 3 graphs current" in result.stderr


def test_a_push_failing_part_way_says_which_graphs_are_current_and_marks_nothing_complete(
        oxigraph, proxy, run):
    proxy.failing[GRAPH] = -1
    result = run(f"http://{HOST}:{proxy.port}/store")
    assert result.exit_code == 1
    assert proxy.puts.count(GRAPH) == 3                  # the first try and two retries
    lines = result.stderr.splitlines()
    assert any(line.split()[:1] == ["current"] and DEFAULT_GRAPH in line for line in lines)
    failed = [line for line in lines if "NOT CURRENT" in line and GRAPH in line]
    assert failed and "HTTP 500" in failed[0] and "after 3 attempts" in failed[0]
    assert "1 of 3 graphs are NOT current" in result.stderr
    with pytest.raises(UnusableInput, match="no complete `chipkg push`"):
        remote_dataset({**DEFAULTS, "BACKEND_URL": oxigraph.query_url})
    assert run(oxigraph.gsp_url).exit_code == 0          # a complete push makes it servable again
    remote_dataset({**DEFAULTS, "BACKEND_URL": oxigraph.query_url})


def test_invalid_data_is_never_pushed(oxigraph, run, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ck: <https://w3id.org/chipkg/ontology#> .\n"
                   "<https://w3id.org/chipkg/id/bad-deal> a ck:Deal .\n")
    before = triples_in(oxigraph, GRAPH)
    result = run(oxigraph.gsp_url, "--data", str(bad), "--skip-quotes")
    assert result.exit_code == 1 and "not pushing it" in result.stderr
    assert triples_in(oxigraph, GRAPH) == before


def test_an_unreachable_store_or_unknown_endpoint_is_unusable_input(run):
    with __import__("socket").socket() as probe:
        probe.bind((HOST, 0))
        closed = f"http://{HOST}:{probe.getsockname()[1]}/store"
    result = run(closed)
    assert result.exit_code == 2 and "not reachable" in result.stderr and "Traceback" not in result.output
    result = run("http://127.0.0.1:1/somewhere")
    assert result.exit_code == 2 and "give --query" in result.stderr


def test_query_endpoints_are_derived_from_the_graph_store_endpoints():
    assert query_endpoint_of("http://h:7878/store") == "http://h:7878/query"
    assert query_endpoint_of("http://h:8890/sparql-graph-crud-auth") == "http://h:8890/sparql"
    assert query_endpoint_of("http://h:8890/sparql-graph-crud") == "http://h:8890/sparql"
