"""Query processes under a real `chipkg serve` (server/protocol/isolation.py): a timeout kills
the process computing the query and the worker goes on serving; long queries' processes are
demoted; processes that die are replaced; a worker whose zygote is gone falls back to
threads; and nothing outlives the server."""

import json
import os
import signal
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from process_helpers import Serve, children, descendants, tree_busy_ticks

pytestmark = pytest.mark.e2e
TIMEOUT = 1.5
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
NORMAL = "PREFIX ck: <https://w3id.org/chipkg/ontology#> SELECT DISTINCT ?d WHERE { ?d a ck:Deal }"
JSON = {"Accept": "application/json"}
SCHED_IDLE = 5


def deals(body: bytes) -> set[str]:
    return {b["d"]["value"] for b in json.loads(body)["results"]["bindings"]}


def answer(server: Serve) -> set[str]:
    status, _, body = server.get(sparql(NORMAL), JSON)
    assert status == 200 and deals(body)
    return deals(body)


def sparql(query: str) -> str:
    return "/sparql?query=" + quote(query, safe="")


def named(server_pid: int, name: str) -> list[int]:
    """The server's processes called `name` (their /proc comm, set with PR_SET_NAME)."""
    found = []
    for pid in descendants(server_pid):
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == name:
                found.append(pid)
        except OSError:
            pass
    return found


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.05)
    return found


def metric(server: Serve, name: str) -> float:
    body = server.get("/-/metrics")[2].decode()
    return sum(float(line.split()[-1]) for line in body.splitlines() if line.startswith(f"chipkg_{name} "))


@pytest.fixture(scope="module")
def server(sources, tmp_path_factory):
    log = tmp_path_factory.mktemp("isolation") / "serve.log"
    with Serve(["--workers", "2", "--timeout", str(TIMEOUT), "--sources", str(sources)],
               log=log) as running:
        wait_for(lambda: len(children(running.process.pid)) == 2, 15, "both workers are up")
        wait_for(lambda: len(named(running.process.pid, "chipkg-zygote")) == 2, 15, "two zygotes")
        running.expected = answer(running)
        yield running


def test_a_timeout_kills_the_query_process_and_the_worker_keeps_serving(server):
    pid = server.process.pid
    workers = set(children(pid))
    status, headers, body = server.get(sparql(RUNAWAY), JSON)
    assert status == 503 and "time limit" in json.loads(body)["error"] and headers["Retry-After"]
    # nothing of the server computes any more: the process that ran it is gone
    time.sleep(0.3)
    ticks = tree_busy_ticks(pid)
    time.sleep(1.0)
    assert tree_busy_ticks(pid) - ticks < 0.3 * os.sysconf("SC_CLK_TCK")
    assert set(children(pid)) == workers                    # no worker replaced
    assert answer(server) == server.expected
    assert metric(server, "query_timeouts_total") >= 1 and metric(server, "workers_retired_total") == 0
    assert "retiring worker" not in server.log.read_text()


def test_a_long_query_process_runs_below_every_serving_thread(server):
    pid = server.process.pid
    demoted = metric(server, "queries_demoted_total")
    runaway = threading.Thread(target=server.get, args=(sparql(RUNAWAY), JSON))
    runaway.start()
    try:
        query = computing(pid)
        for task in Path(f"/proc/{query}/task").iterdir():
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            assert int(fields[16]) == 19 and int(fields[38]) == SCHED_IDLE      # nice, policy
    finally:
        runaway.join(10)
    assert metric(server, "queries_demoted_total") == demoted + 1
    # a demoted process is not kept for the next query (its priority cannot be raised back)
    wait_for(lambda: query not in named(pid, "chipkg-query"), 5, "the demoted process ends")


def test_query_processes_killed_from_outside_are_replaced(server):
    pid = server.process.pid
    idle = named(pid, "chipkg-query")
    for query in idle:          # idle ones: the next query is not lost
        os.kill(query, signal.SIGKILL)
    # (once they have exited: a query sent in the instant a kill is under way is lost with it)
    wait_for(lambda: all(_ended(query) for query in idle), 5, "the killed processes exit")
    for _ in range(6):
        assert answer(server) == server.expected
    # killed while computing: that query fails (500, the error shape), the next one is fine
    outcome = {}
    runaway = threading.Thread(target=lambda: outcome.update(answer=server.get(sparql(RUNAWAY), JSON)))
    runaway.start()
    query = computing(pid)
    os.kill(query, signal.SIGKILL)
    runaway.join(10)
    status, _, body = outcome["answer"]
    assert status == 500 and json.loads(body)["status"] == 500 and "Traceback" not in body.decode()
    status, _, _ = server.get(sparql(NORMAL), JSON)
    assert status == 200
    assert f"query process {query}:" in server.log.read_text()


def computing(server_pid: int) -> int:
    """The query process running the runaway: past the demotion's CPU time, and still using more."""
    def found():
        before = {q: _cpu(q) for q in named(server_pid, "chipkg-query")}
        time.sleep(0.05)
        return next((q for q, cpu in before.items() if cpu >= 0.1 and _cpu(q) > cpu), None)
    return wait_for(found, TIMEOUT, "a query process computing")


def _ended(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_without_a_zygote_queries_run_in_threads_and_nothing_outlives_the_server(sources, tmp_path):
    with Serve(["--workers", "1", "--timeout", str(TIMEOUT), "--sources", str(sources)],
               log=tmp_path / "serve.log") as server:
        pid = server.process.pid
        zygote = wait_for(lambda: named(pid, "chipkg-zygote"), 15, "the zygote")[0]
        expected = answer(server)
        kept = descendants(pid)
        os.kill(zygote, signal.SIGKILL)
        # its query processes die with it (PR_SET_PDEATHSIG), and the worker carries on
        wait_for(lambda: not named(pid, "chipkg-query"), 5, "the query processes end")
        for _ in range(3):                  # the same answer, from the worker's threads
            assert answer(server) == expected
        assert "zygote is gone" in server.log.read_text()
        # a timeout now retires the worker, as without isolation
        assert server.get(sparql(RUNAWAY), JSON)[0] == 503
        wait_for(lambda: "retiring worker" in server.log.read_text(), 5, "the worker retires")
        wait_for(lambda: named(pid, "chipkg-zygote"), 15, "the fresh worker's zygote")
        kept = descendants(pid)
    wait_for(lambda: not [p for p in kept if Path(f"/proc/{p}").exists()], 10,
             f"every process of the server ends: {kept}")
