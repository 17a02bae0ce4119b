"""An external store that fails while chipkg serves from it: refused at start-up when down,
503 in the one error shape (and on /-/health) while down, recovery when it is back, and a
store that trickles its answer cut at the time limit; on real stores and loopback sockets."""

import json
import socket
import threading
import time

import pytest

from chipkg.server import create_app
from chipkg.server.backends import remote_dataset
from chipkg.server.backends.manifest import DEFAULT_GRAPH
from chipkg.server.backends.remote import RemoteStore
from chipkg.server.config import DEFAULTS
from chipkg.server.errors import StoreUnreachable
from stores import start_oxigraph


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/query"


def test_a_store_at_a_closed_port_is_503_in_the_one_error_shape(embedded_shipped):
    down = RemoteStore(closed_port_url()).with_dataset(DEFAULT_GRAPH, ())
    dataset = embedded_shipped.__class__(**{**embedded_shipped.__dict__, "store": down})
    client = create_app({}, dataset).test_client()
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "application/json"})
    body = json.loads(response.data)
    assert response.status_code == 503 and body["status"] == 503 and response.headers["Retry-After"]
    assert "is not reachable" in body["error"] and "Connection refused" in body["error"]
    text = client.get("/queries/claims-about").data.decode()
    assert text.startswith("503 Service Unavailable: the store at http://127.0.0.1:") and "Traceback" not in text


def test_create_app_and_serve_refuse_a_store_that_is_down(runner, monkeypatch):
    from chipkg.cli import cli
    from chipkg.server import command

    url = closed_port_url()
    with pytest.raises(StoreUnreachable, match="not reachable"):
        create_app({"BACKEND_URL": url})
    monkeypatch.setattr(command, "run_gunicorn", lambda app, options: pytest.fail("served"))
    result = runner.invoke(cli, ["serve", "--backend", url])
    assert result.exit_code == 2 and "not reachable" in result.stderr and "Traceback" not in result.output


@pytest.fixture(scope="module")
def own_oxigraph(tmp_path_factory, sources):
    """An Oxigraph server of this module's own (it is stopped and restarted here)."""
    from click.testing import CliRunner
    from chipkg.cli import cli

    folder = tmp_path_factory.mktemp("own-oxigraph")
    store = start_oxigraph(folder)
    result = CliRunner().invoke(cli, ["push", "--store", store.gsp_url, "--sources", str(sources)])
    assert result.exit_code == 0, result.output
    yield store, folder
    store.stop()


def test_a_store_stopped_while_serving_gives_503_then_recovers_when_it_is_back(own_oxigraph):
    store, folder = own_oxigraph
    client = create_app({}, remote_dataset({**DEFAULTS, "BACKEND_URL": store.query_url})).test_client()
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    store.stop()
    response = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert response.status_code == 503 and b"is not reachable" in response.data
    health = client.get("/-/health")          # a health check that a load balancer can trust
    assert health.status_code == 503 and b"is not reachable" in health.data
    assert health.headers["Retry-After"]
    import subprocess
    argv = [a for a in store.process.args]
    assert f"127.0.0.1:{store.port}" in argv
    with open(store.log, "ab") as out:
        store.process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code != 200:
        assert time.monotonic() < deadline, "the store did not come back"
        time.sleep(0.2)
    assert client.get("/-/health").status_code == 200


class Trickle:
    """A loopback server that answers 200 and then one byte every 0.2 s, never finishing."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/query"
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        self.listener.settimeout(0.2)
        while not self.stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._drip, args=(connection,), daemon=True).start()

    def _drip(self, connection):
        with connection:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n"
                               b'{"head":{"vars":["x"]},"results":{"bindings":[')
            while not self.stop.is_set():
                try:
                    connection.sendall(b" ")
                except OSError:
                    return
                time.sleep(0.2)


def test_a_store_that_trickles_is_cut_at_the_time_limit(embedded_shipped):
    trickle = Trickle()
    try:
        slow = RemoteStore(trickle.url).with_dataset(DEFAULT_GRAPH, ())
        dataset = embedded_shipped.__class__(**{**embedded_shipped.__dict__, "store": slow})
        app = create_app({"QUERY_TIMEOUT_SECONDS": 0.5}, dataset)
        began = time.monotonic()
        response = app.test_client().get("/sparql", query_string={"query": "SELECT ?x WHERE { ?x ?p ?o }"})
        assert response.status_code == 503 and b"time limit of 0.5 s" in response.data
        assert time.monotonic() - began < 1.2
        metrics = app.extensions["chipkg"].metrics
        deadline = time.monotonic() + 5
        while metrics.total("in_flight") > 0:       # the reading thread gives up by the deadline
            assert time.monotonic() < deadline, "the reading thread kept waiting on the store"
            time.sleep(0.05)
        assert time.monotonic() - began < 2.5
    finally:
        trickle.stop.set()
        trickle.listener.close()
