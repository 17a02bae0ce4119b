"""Long queries take turns under a real `chipkg serve` (server/protocol/cores.py): with
LONG_QUERY_CORES=1, runaways in both workers run one at a time, the others stopped, each
getting turns; and a worker killed while its query holds the slot does not take the slot
with it."""

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from process_helpers import Serve, children, stat_fields
from test_isolation_e2e import JSON, RUNAWAY, answer, named, sparql, wait_for

pytestmark = pytest.mark.e2e
TIMEOUT = 2.0


@pytest.fixture(scope="module")
def server(sources, tmp_path_factory):
    log = tmp_path_factory.mktemp("cores") / "serve.log"
    with Serve(["--workers", "2", "--timeout", str(TIMEOUT), "--sources", str(sources)],
               env={"CHIPKG_LONG_QUERY_CORES": "1"}, log=log) as running:
        wait_for(lambda: len(named(running.process.pid, "chipkg-zygote")) == 2, 15, "two zygotes")
        running.expected = answer(running)
        yield running


def state_and_cpu(pid: int) -> tuple[str, float]:
    """"T" if stopped, "R" if any of its threads runs (the query's is not the main one), else
    "S"; and the CPU seconds of the whole process."""
    fields = stat_fields(f"/proc/{pid}/stat")
    states = {stat_fields(task / "stat")[0] for task in Path(f"/proc/{pid}/task").iterdir()}
    state = "T" if fields[0] == "T" else "R" if "R" in states else "S"
    return state, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def long_ones(server_pid: int) -> dict[int, tuple[str, float]]:
    """The query processes found long (stopped, or at SCHED_IDLE) -> (state, CPU seconds)."""
    found = {}
    for query in named(server_pid, "chipkg-query"):
        try:
            fields = stat_fields(f"/proc/{query}/stat")
            if fields[0] == "T" or int(fields[38]) == 5:
                found[query] = state_and_cpu(query)
        except OSError:
            pass
    return found


def runaways(server: Serve, count: int, statuses: list) -> list[threading.Thread]:
    """`count` runaway queries sent at once; each one's status (or the OSError of a connection
    its worker's death cut) is added to `statuses`."""
    def send():
        try:
            outcome = server.get(sparql(RUNAWAY), JSON)[0]
        except OSError as error:
            outcome = error
        statuses.append(outcome)
    threads = [threading.Thread(target=send) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads


def test_runaways_take_turns_on_one_core_and_each_gets_some(server):
    pid = server.process.pid
    statuses = []
    threads = runaways(server, 4, statuses)
    samples, seen = [], {}
    wait_for(lambda: len(long_ones(pid)) >= 3, TIMEOUT, "several long queries at once")
    while any(t.is_alive() for t in threads):
        now = long_ones(pid)
        if len(now) >= 2:
            samples.append(sum(state == "R" for state, _ in now.values()))
        seen.update({q: cpu for q, (_, cpu) in now.items()})
        time.sleep(0.02)
    for thread in threads:
        thread.join(10)
    assert statuses == [503] * 4                    # each stopped at its timeout
    assert len(samples) >= 20
    # never more than one running (a sample may catch a stop that is still being delivered)
    assert sum(running <= 1 for running in samples) >= 0.9 * len(samples), samples
    assert sum(running == 0 for running in samples) < 0.5 * len(samples), samples
    # turns: more than one of them computed (one at a time, no single query kept the core)
    assert sum(cpu >= 0.05 for cpu in seen.values()) >= 2, seen
    wait_for(lambda: not long_ones(pid), 5, "no long query left, stopped or not")
    assert answer(server) == server.expected


def test_a_worker_killed_holding_the_slot_does_not_keep_it(server):
    pid = server.process.pid
    workers = set(children(pid))
    first = runaways(server, 1, [])
    holder = wait_for(lambda: [q for q, (state, cpu) in long_ones(pid).items() if state == "R"],
                      TIMEOUT, "a long query running")[0]
    zygote = int(stat_fields(f"/proc/{holder}/stat")[1])          # parents
    worker = int(stat_fields(f"/proc/{zygote}/stat")[1])
    assert worker in workers
    os.kill(worker, signal.SIGKILL)                 # with the slot held by its query's turn
    for thread in first:
        thread.join(10)
    wait_for(lambda: len(children(pid)) == 2 and worker not in children(pid), 20, "a fresh worker")
    wait_for(lambda: len(named(pid, "chipkg-zygote")) == 2, 15, "its zygote")
    # the next long queries still get the core: the kernel released the dead worker's lock
    statuses = []
    second = runaways(server, 2, statuses)
    wait_for(lambda: any(state == "R" and cpu >= 0.1 for state, cpu in long_ones(pid).values()),
             TIMEOUT, "a long query computing after the kill")
    for thread in second:
        thread.join(10)
    assert statuses == [503, 503]
