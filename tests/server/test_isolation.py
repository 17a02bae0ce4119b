"""The engine's side of query processes (server/protocol/isolation.py), without forking: a
stand-in pool records what the engine does with its evaluators. The processes themselves are
tested under a real `chipkg serve` in test_isolation_e2e.py."""

import threading

import pytest

from chipkg.server import create_app
from chipkg.server.protocol.engine import Plan, Table
from chipkg.server.protocol.isolation import EvaluatorLost

pytestmark = pytest.mark.parametrize("shipped", ["embedded"], indirect=True)


class Evaluator:
    def __init__(self, pool, answer):
        self.pool, self.answer, self.pid = pool, answer, 4242
        self.lost = self.killed = self.demoted = False

    def ask(self, request):
        self.pool.asked.append(request[0])
        return self.answer(self)

    def cpu_seconds(self) -> float:
        return 0.0

    def demote(self) -> bool:
        self.demoted = True
        return True

    def kill(self) -> None:
        self.lost = self.killed = True


class Pool:
    """Hands out evaluators answering with `answers` in turn; records each give-back and
    whether the job was done by then."""

    def __init__(self, engine, *answers):
        self.engine, self.answers = engine, list(answers)
        self.asked, self.back = [], []
        self.jobs = []

    def take(self):
        return Evaluator(self, self.answers.pop(0)) if self.answers else None

    def give_back(self, evaluator) -> None:
        self.back.append((evaluator, all(job.done.is_set() for job in self.engine._pending)))


def engine_with(shipped, *answers):
    app = create_app({"QUERY_TIMEOUT_SECONDS": 30}, shipped)
    engine = app.extensions["chipkg"].ready().engine
    engine._evaluators = pool = Pool(engine, *answers)
    return engine, pool


def test_an_evaluator_goes_back_to_the_pool_only_once_its_job_is_done(shipped):
    """Else a demotion arriving late would lower the priority of a pooled process, and the
    next short query, given it, would starve (seen in bench/load.py as a normal query's 503)."""
    engine, pool = engine_with(shipped, lambda e: ("value", Table(boolean=True)))
    answer = engine.run(Plan("ASK {}", None))
    assert answer.table.boolean is True and pool.asked == ["ASK {}"]
    (evaluator, done), = pool.back
    assert done and not evaluator.killed


def test_a_request_never_taken_goes_to_another_process_but_one_taken_is_not_sent_twice(shipped):
    def gone(evaluator):
        evaluator.lost = True
        raise EvaluatorLost("ended while idle", delivered=False)

    def died(evaluator):
        evaluator.lost = True
        raise EvaluatorLost("ended during the query")

    engine, pool = engine_with(shipped, gone, lambda e: ("value", Table(boolean=False)))
    assert engine.run(Plan("ASK {}", None)).table.boolean is False
    assert pool.asked == ["ASK {}", "ASK {}"]
    engine, pool = engine_with(shipped, died, lambda e: ("value", Table(boolean=False)))
    with pytest.raises(Exception) as raised:
        engine.run(Plan("ASK {}", None))
    assert getattr(raised.value, "status", None) == 500 and pool.asked == ["ASK {}"]


def test_the_servers_own_queries_and_a_lost_zygote_use_threads(shipped):
    engine, pool = engine_with(shipped)         # take() gives nothing: the zygote is gone
    assert engine.run(Plan("ASK { ?s ?p ?o }", None)).table.boolean is True
    engine, pool = engine_with(shipped, lambda e: ("value", Table(boolean=False)))
    assert engine.run(Plan("ASK { ?s ?p ?o }", None, killable=False)).table.boolean is True
    assert pool.asked == [] and threading.active_count() >= 1


def test_a_process_found_long_is_never_pooled_again_even_if_its_priority_stayed(shipped, monkeypatch):
    """Found long, it may be stopped between turns (server/protocol/cores.py): pooled, it would
    leave the next query waiting for nothing; so it is closed, lowered or not."""
    import socket
    import subprocess
    import sys

    from chipkg.server.hardening import priority
    from chipkg.server.protocol.isolation import Evaluator as Real, Evaluators

    monkeypatch.setattr(priority, "demote", lambda thread: False)   # the system refuses nice 19
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    ours, theirs = socket.socketpair()
    try:
        pool = Evaluators(lambda request: None, keep_idle=4, stack_bytes=0)
        evaluator = Real(child.pid, ours)
        assert evaluator.demote() is False
        pool.give_back(evaluator)
        assert evaluator.killed and pool._idle == []
        assert child.wait(10) == -9                 # closed: killed, not kept
    finally:
        child.kill()
        theirs.close()
