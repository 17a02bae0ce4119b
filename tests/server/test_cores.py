"""Long queries take turns on a few cores (server/protocol/cores.py): the slots, shared by
processes, freed when their holder dies; and the turns, with a stand-in for a query process."""

import os
import tempfile
import threading
import time

from server.protocol.cores import Cores


def test_a_slot_is_held_by_one_holder_at_a_time_and_freed_by_closing():
    cores = Cores(2)
    first, second = cores.take(), cores.take()
    assert first is not None and second is not None
    assert cores.take() is None                     # both taken (even within one process)
    os.close(first)
    third = cores.take()
    assert third is not None
    os.close(second), os.close(third)
    assert not [n for n in os.listdir(tempfile.gettempdir()) if n.startswith("chipkg-core-")]


def test_a_slot_held_by_a_process_that_dies_is_free_again():
    cores = Cores(1)
    ready, finish = os.pipe(), os.pipe()
    pid = os.fork()
    if pid == 0:                                    # the holder: takes the slot, then dies holding it
        held = cores.take()
        os.write(ready[1], b"y" if held is not None else b"n")
        os.read(finish[0], 1)
        os._exit(0)
    assert os.read(ready[0], 1) == b"y"
    assert cores.take() is None                     # the other process has it
    os.write(finish[1], b"x")
    os.waitpid(pid, 0)
    slot = cores.take()                             # the kernel released it with its holder
    assert slot is not None
    os.close(slot)


class Query:
    """Stands in for a query process: computes (counts turns of work) only while resumed."""
    running = 0
    most = 0
    lock = threading.Lock()

    def __init__(self, work: int):
        self.left, self.resumed, self.done = work, threading.Event(), threading.Event()
        threading.Thread(target=self._compute, daemon=True).start()

    def pause(self):
        with Query.lock:
            if self.resumed.is_set():
                Query.running -= 1
            self.resumed.clear()

    def resume(self):
        with Query.lock:
            if not self.resumed.is_set():
                Query.running += 1
                Query.most = max(Query.most, Query.running)
            self.resumed.set()

    def _compute(self):
        while self.left > 0:
            self.resumed.wait()
            time.sleep(0.01)
            self.left -= 1
        self.pause()
        self.done.set()


def test_long_queries_run_one_slot_at_a_time_and_each_gets_turns(monkeypatch):
    monkeypatch.setattr(Cores, "QUANTUM", 0.05)
    Query.running = Query.most = 0
    cores = Cores(1)
    queries = [Query(work=20) for _ in range(3)]    # 0.2 s of work each
    deadline = time.perf_counter() + 10
    threads = [threading.Thread(target=cores.share, args=(q, q.done, deadline)) for q in queries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert all(q.done.is_set() for q in queries)    # each had turns until its work was done
    assert Query.most == 1                          # never two on the one slot


def test_a_query_without_a_slot_stays_paused_until_its_deadline():
    cores = Cores(1)
    taken = cores.take()
    query = Query(work=1)
    began = time.perf_counter()
    cores.share(query, query.done, began + 0.3)
    assert time.perf_counter() - began >= 0.3 and not query.done.is_set() and not query.resumed.is_set()
    os.close(taken)
