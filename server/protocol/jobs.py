"""A query's life in the engine: its job (flags, CPU clock, evaluator) and the threads that run jobs.

See `engine` for the whole path; this is the bookkeeping it shares between the request
thread that waits and the thread (or evaluator process, `isolation`) that computes.
"""

import os
import queue
import threading

from ..hardening import priority

# Oxigraph parses and evaluates recursively; its threads get a large stack (virtual memory,
# touched only as deep as a query goes) so the guard's limits sit far below a stack overflow.
STACK_BYTES = 256 * 1024 * 1024


class Job:
    def __init__(self, plan):
        self.plan = plan
        self.done = threading.Event()
        self.value: Rendered | Table | None = None
        self.error: BaseException | None = None
        self.lock = threading.Lock()
        self.thread_id: int | None = None
        self.cpu = None                 # CPU seconds used so far (priority.thread_cpu_clock)
        self.slow = False               # found long (see Engine._wait)
        self.demoted = False            # its thread runs at nice 19
        self.long = False               # in the long lane (priority.Lanes)
        self.abandoned = False
        self.evaluator = None           # the process evaluating it, if isolated

    def abandon(self) -> None:
        """Stop waiting for it: its worker is being replaced (see `Engine.retire`)."""
        with self.lock:
            if not self.done.is_set():
                self.abandoned = True
                self.done.set()

    def use(self, evaluator) -> None:
        """Evaluate it in this evaluator process (isolation); its CPU is counted from now."""
        with self.lock:
            self.evaluator = evaluator
            if evaluator is not None:
                start = evaluator.cpu_seconds()
                self.cpu = lambda: evaluator.cpu_seconds() - start

    def used_cpu(self) -> float:
        cpu = self.cpu
        try:
            return cpu() if cpu is not None else 0.0
        except OSError:         # its thread has ended: so has the query
            return 0.0

    def demote(self, lanes: priority.Lanes) -> None:
        """The query is long: lower its CPU priority and move it to the long lane."""
        with self.lock:
            if self.done.is_set() or self.thread_id is None:
                return
            self.slow = True
            if self.evaluator is not None:
                self.evaluator.demote()
            else:
                self.demoted = priority.demote(self.thread_id)
            self.long = lanes.promote()


class Threads:
    """Daemon threads that run jobs, started on demand, kept for the next job.

    Handing a job to a waiting thread costs about a quarter of starting a thread.
    Threads do not survive fork, so a process that finds itself with a new pid
    (a gunicorn worker forked from the master) starts afresh.
    """

    def __init__(self, run):
        self._run = run
        self._lock = threading.Lock()
        self._pid = None
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._idle = 0

    def submit(self, job: "Job") -> None:
        with self._lock:
            if self._pid != os.getpid():
                self._pid, self._queue, self._idle = os.getpid(), queue.SimpleQueue(), 0
            if self._idle:
                self._idle -= 1
            else:
                previous = threading.stack_size(STACK_BYTES)
                try:
                    threading.Thread(target=self._loop, args=(self._queue,), name="chipkg-query",
                                     daemon=True).start()
                finally:
                    threading.stack_size(previous)
            self._queue.put(job)

    def _loop(self, jobs: queue.SimpleQueue) -> None:
        while True:
            job = jobs.get()
            self._run(job)
            if job.demoted:         # its priority cannot be raised again: end with the query
                return
            with self._lock:
                if jobs is not self._queue:
                    return
                self._idle += 1
