"""A query that has used QUERY_DEMOTE_AFTER_CPU_SECONDS of CPU runs at the lowest priority
(nice 19) and leaves its slot for one of MAX_LONG_QUERIES; its thread ends with it
(a thread's priority cannot be raised back). Short queries keep nice 0 and their slots."""

import os

import pytest
import threading
import time
from pathlib import Path

from chipkg.server import create_app

from endpoint_helpers import SLOW

# Embedded store only: the demotion is of the engine's own evaluation threads; over an external store the store computes.
pytestmark = pytest.mark.parametrize("shipped", ["embedded"], indirect=True)


def stat_of(thread_id: int) -> list[str]:
    return Path(f"/proc/self/task/{thread_id}/stat").read_text().rsplit(")", 1)[1].split()


def nice_of(thread_id: int) -> int:
    return int(stat_of(thread_id)[16])


def policy_of(thread_id: int) -> int:
    return int(stat_of(thread_id)[38])


def test_long_query_is_demoted_and_its_thread_retires(shipped):
    app = create_app({"QUERY_DEMOTE_AFTER_CPU_SECONDS": 0.2, "QUERY_TIMEOUT_SECONDS": 30}, shipped)
    engine = app.extensions["chipkg"].ready().engine
    client = app.test_client()
    assert client.get("/sparql?query=ASK%7B%7D").status_code == 200
    query_threads = lambda: {t.native_id for t in threading.enumerate() if t.name == "chipkg-query"}
    short = query_threads()
    assert short and all(nice_of(t) == 0 and policy_of(t) == os.SCHED_OTHER for t in short)
    seen = {}
    runner = threading.Thread(target=lambda: seen.update(status=client.get(
        "/sparql", query_string={"query": SLOW}).status_code))
    runner.start()
    time.sleep(0.6)
    demoted = {t for t in query_threads() if nice_of(t) == 19}
    runner.join(60)
    assert seen["status"] == 200
    assert len(demoted) == 1
    time.sleep(0.2)
    assert not demoted & query_threads()                # it ended with its query
    assert client.get("/sparql?query=ASK%7B%7D").status_code == 200
    assert all(nice_of(t) == 0 for t in query_threads())
    assert engine.demote_after == 0.2
    assert app.extensions["chipkg"].metrics.total("queries_demoted_total") == 1


def test_demotion_counts_the_query_threads_cpu_not_the_time_it_waited(shipped):
    """A short query whose thread is kept waiting (sleeping here, as under a loaded CPU) is
    not demoted, however long the wait; a CPU-bound one is, early."""
    app = create_app({"QUERY_DEMOTE_AFTER_CPU_SECONDS": 0.05, "QUERY_TIMEOUT_SECONDS": 30}, shipped)
    engine = app.extensions["chipkg"].ready().engine
    client = app.test_client()
    evaluate = engine._evaluate

    def kept_waiting(plan):
        time.sleep(0.4)                                  # eight times the CPU threshold
        return evaluate(plan)

    engine._evaluate = kept_waiting
    assert client.get("/sparql?query=ASK%7B%7D").status_code == 200
    engine._evaluate = evaluate
    metrics = app.extensions["chipkg"].metrics
    assert metrics.total("queries_demoted_total") == 0
    began = time.perf_counter()
    seen = {}
    runner = threading.Thread(target=lambda: seen.update(status=client.get(
        "/sparql", query_string={"query": SLOW}).status_code))
    runner.start()
    while not metrics.total("queries_demoted_total") and time.perf_counter() - began < 30:
        time.sleep(0.01)
    found_after = time.perf_counter() - began
    runner.join(60)
    assert seen["status"] == 200 and metrics.total("queries_demoted_total") == 1
    assert found_after < time.perf_counter() - began        # before the query ended


def test_a_long_query_leaves_its_slot_to_short_ones(shipped):
    def one_slot_app(long_slots: int):
        app = create_app({"MAX_CONCURRENT_QUERIES": 1, "MAX_LONG_QUERIES": long_slots,
                          "SLOT_WAIT_SECONDS": 0.05, "QUERY_DEMOTE_AFTER_CPU_SECONDS": 0.05,
                          "QUERY_TIMEOUT_SECONDS": 30}, shipped)
        client = app.test_client()
        runner = threading.Thread(target=lambda: client.get("/sparql", query_string={"query": SLOW}))
        runner.start()
        time.sleep(0.3)                                  # SLOW is running (~1.3 s), found long
        return client, runner

    client, runner = one_slot_app(long_slots=1)         # SLOW moved to the long lane
    assert client.get("/sparql?query=ASK%7B%7D").status_code == 200
    runner.join(60)
    client, runner = one_slot_app(long_slots=0)         # no long lane: SLOW keeps the slot
    response = client.get("/sparql?query=ASK%7B%7D")
    assert response.status_code == 503 and b"too many queries" in response.data
    runner.join(60)


def test_a_query_waits_briefly_for_a_slot_then_is_told_to_retry(shipped):
    def busy_app(wait: float):
        app = create_app({"MAX_CONCURRENT_QUERIES": 1, "SLOT_WAIT_SECONDS": wait,
                          "MAX_LONG_QUERIES": 0, "QUERY_TIMEOUT_SECONDS": 30}, shipped)
        client = app.test_client()
        runner = threading.Thread(target=lambda: client.get("/sparql", query_string={"query": SLOW}))
        runner.start()
        time.sleep(0.3)                                  # SLOW holds the only slot (~1.3 s)
        return client, runner

    client, runner = busy_app(wait=20.0)
    assert client.get("/sparql?query=ASK%7B%7D").status_code == 200    # waited for the slot
    runner.join(60)
    client, runner = busy_app(wait=0.05)
    response = client.get("/sparql?query=ASK%7B%7D")
    assert response.status_code == 503 and b"too many queries" in response.data
    runner.join(60)


def test_a_retiring_engine_stops_waiting_for_long_queries_and_still_answers_short_ones(shipped):
    app = create_app({"QUERY_DEMOTE_AFTER_CPU_SECONDS": 0.1, "QUERY_TIMEOUT_SECONDS": 30}, shipped)
    engine = app.extensions["chipkg"].ready().engine
    client = app.test_client()
    seen = {}
    runner = threading.Thread(target=lambda: seen.update(answer=client.get(
        "/sparql", query_string={"query": SLOW}, headers={"Accept": "application/json"})))
    runner.start()
    time.sleep(0.4)                                      # running, and demoted
    engine.retire()
    runner.join(30)
    answer = seen["answer"]                              # not SLOW's 200: it did not wait
    assert answer.status_code == 503 and "being replaced" in answer.json["error"]
    assert answer.headers["Retry-After"]
    assert client.get("/sparql?query=ASK%7B%7D").status_code == 200
    late = client.get("/sparql", query_string={"query": SLOW})      # long, arriving after
    assert late.status_code == 503 and b"being replaced" in late.data
