"""Faults and overload against a real `chipkg serve` (issue 10, items 4, 6, 7): runaway
queries stop and free the CPU while others are answered; the budget is shared by the
workers; SIGHUP and /-/reload keep the old graph when the data is broken; a broken file
at start-up exits 2 naming it; a server killed mid-request restarts on the same graph."""

import json
import os
import signal
import threading
import time
from urllib.parse import quote

import pytest

from process_helpers import CLI, Serve, children, tree_busy_ticks

pytestmark = pytest.mark.e2e
TIMEOUT = 1.5
NONE = "<http://example.org/none>"
# every node reaches every other along any path: a million pairs, joined with a million more
DEEP_PATH = (f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a (!{NONE})*/(!{NONE})* ?b . "
             f"?c (!{NONE})* ?d }}")
NORMAL = "PREFIX ck: <https://w3id.org/chipkg/ontology#> SELECT ?d WHERE { ?d a ck:Deal } LIMIT 5"
JSON = {"Accept": "application/json"}


def sparql(query: str) -> str:
    return "/sparql?query=" + quote(query, safe="")


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def server(sources, tmp_path_factory):
    log = tmp_path_factory.mktemp("hardening") / "serve.log"
    with Serve(["--workers", "2", "--timeout", str(TIMEOUT), "--sources", str(sources)],
               log=log) as running:
        yield running


def test_deep_property_path_times_out_frees_the_cpu_and_others_are_answered(server):
    pid = server.process.pid
    # /-/health answers once one worker is up; the second may still be booting
    wait_for(lambda: len(children(pid)) == 2, 15, "both workers are up")
    before = children(pid)
    outcome = {}
    runaway = threading.Thread(target=lambda: outcome.update(
        answer=server.get(sparql(DEEP_PATH), JSON), done=time.monotonic()))
    runaway.start()
    time.sleep(0.2)
    normal = []
    for _ in range(5):                          # other clients, while it runs
        status, _, body = server.get(sparql(NORMAL), {"Accept": "application/sparql-results+json"})
        normal.append((status, time.monotonic()))
    runaway.join(30)
    status, headers, body = outcome["answer"]
    assert status == 503 and "time limit" in json.loads(body)["error"] and headers["Retry-After"]
    assert [s for s, _ in normal] == [200] * 5
    assert all(at < outcome["done"] for _, at in normal)      # answered while it was running
    # the query process computing it was killed: the workers are the same, and idle
    assert set(children(pid)) == set(before)
    time.sleep(0.3)
    ticks = tree_busy_ticks(pid)
    time.sleep(1.0)
    assert tree_busy_ticks(pid) - ticks < 0.3 * os.sysconf("SC_CLK_TCK")



def test_killed_mid_request_restarts_on_the_same_graph(sources, tmp_path):
    args = ["--workers", "1", "--timeout", "30", "--sources", str(sources)]
    with Serve(args, log=tmp_path / "first.log") as first:
        health = json.loads(first.get("/-/health")[2])
        slow = threading.Thread(target=lambda: _swallow(lambda: first.get(sparql(DEEP_PATH))))
        slow.start()
        time.sleep(0.5)
        first.kill()                               # SIGKILL, master and worker, mid-query
        slow.join(10)
    with Serve(args, log=tmp_path / "second.log") as second:
        again = json.loads(second.get("/-/health")[2])
        assert (again["triples"], again["named_graphs"]) == (health["triples"], health["named_graphs"])
        assert second.get(sparql(NORMAL))[0] == 200


def _swallow(call):
    try:
        call()
    except OSError:
        pass


def test_the_budget_is_shared_by_the_workers(tmp_path, sources):
    env = {"CHIPKG_FAIR_REQUESTS_PER_MINUTE": "8", "CHIPKG_FAIR_EXEMPT_LOOPBACK": "0",
           "CHIPKG_TRUSTED_PROXIES": "127.0.0.1"}
    with Serve(["--workers", "2", "--sources", str(sources)], env=env, log=tmp_path / "s.log") as server:
        if time.time() % 60 > 50:                   # one calendar minute for the whole test
            time.sleep(61 - time.time() % 60)
        greedy = {"X-Forwarded-For": "198.51.100.7", **JSON}
        statuses = [server.get(sparql("ASK {}"), greedy)[0] for _ in range(14)]
        assert statuses.count(200) == 8 and statuses.count(429) == 6, statuses
        other = {"X-Forwarded-For": "198.51.100.8", **JSON}
        assert server.get(sparql("ASK {}"), other)[0] == 200
        status, headers, body = server.get(sparql("ASK {}"), greedy)
        assert status == 429 and 1 <= int(headers["Retry-After"]) <= 60


GOOD = '<http://example.org/{}> <http://example.org/p> "v" .\n'
BROKEN = GOOD.format("a") + '<http://example.org/b> <http://example.org/p> "unclosed .\n'


def asks(server, local: str) -> bool:
    status, _, body = server.get(sparql(f"ASK {{ <http://example.org/{local}> ?p ?o }}"),
                                 {"Accept": "application/sparql-results+json"})
    return status == 200 and json.loads(body)["boolean"]


def test_sighup_and_reload_route_keep_the_old_graph_when_the_data_breaks(tmp_path):
    data = tmp_path / "data.nt"
    data.write_text(GOOD.format("a"))
    args = ["--workers", "2", "--no-default-graph", "--skip-quotes", "--data", str(data)]
    with Serve(args, env={"CHIPKG_RELOAD_TOKEN": "tok"}, log=tmp_path / "serve.log") as server:
        assert asks(server, "a")
        data.write_text(GOOD.format("c"))
        os.kill(server.process.pid, signal.SIGHUP)
        wait_for(lambda: asks(server, "c"), 30, "the edited data is served after SIGHUP")
        assert not asks(server, "a")
        data.write_text(BROKEN)
        os.kill(server.process.pid, signal.SIGHUP)
        wait_for(lambda: "reload refused" in server.log.read_text(), 30, "the refusal is logged")
        log = server.log.read_text()
        assert f"{data}:2" in log and "still serving the graph loaded at" in log
        time.sleep(1.0)                              # the new workers are up
        assert asks(server, "c") and server.get("/-/health")[0] == 200
        assert server.get("/-/reload", method="POST")[0] == 403
        data.write_text(GOOD.format("d"))
        status, _, body = server.get("/-/reload", {"Authorization": "Bearer tok"}, method="POST")
        assert status == 202
        wait_for(lambda: asks(server, "d"), 30, "the data is served after /-/reload")


def test_a_broken_file_at_start_up_exits_2_naming_file_and_line(tmp_path):
    import subprocess
    data = tmp_path / "broken.nt"
    data.write_text(BROKEN)
    done = subprocess.run(CLI + ["serve", "--port", "0", "--no-default-graph", "--skip-quotes",
                                 "--data", str(data)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert f"chipkg: error: {data}:2:" in done.stderr and "Traceback" not in done.stderr
