"""Queries evaluated in processes that a timeout can kill (ISOLATE_QUERIES, under `chipkg serve`).

pyoxigraph cannot stop a running query from Python. Run in a thread, a runaway query holds
its core until its process ends, so a timeout used to retire the whole worker, and with it
every cache the worker had warmed: bench/load.py measured entity pages at 4.8x their
unloaded p95 under attack, most of it the cost of replaced workers.

So each gunicorn worker forks, while it is still single-threaded (`post_fork`), a *zygote*:
a copy of itself whose only job is to fork *evaluators* when asked. An evaluator answers one
query at a time over a socket with the code the thread path uses (`Engine._evaluate`); the
store's memory is shared copy-on-write by the worker, its zygote and every evaluator. A query
that times out is ended by SIGKILL to its evaluator, and the worker carries on. Nice 19
cannot be undone without privilege, so a demoted evaluator is closed after its query.

Nothing outlives the worker: the zygote exits when the worker's end of its control socket
closes, and the kernel kills evaluators when their zygote dies (PR_SET_PDEATHSIG).
Requests and answers are pickles between copies of one program, never from a client.
This module is the worker's side; `processes` is the zygote's and the query processes'.
"""

import logging
import os
import signal
import socket
import threading
import time
from pathlib import Path

from chipkg.formats import BY_NAME

from ..hardening import priority
from .processes import TAKEN, EvaluatorLost, close_quietly, receive, run_child, send, zygote

log = logging.getLogger("chipkg.server")

_TICK = os.sysconf("SC_CLK_TCK")

# run by each new evaluator process before its first query, off the request path
WARM_UPS = tuple((query, output, {"use_default_graph_as_union": True}, None) for query, output in (
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 5", BY_NAME["json"]),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 5", None),
    ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 5", BY_NAME["turtle"])))


class Evaluator:
    """The worker's side of one evaluator process."""

    def __init__(self, pid: int, sock: socket.socket):
        self.pid, self.sock = pid, sock
        # signalled through a pidfd: a pid can be reused once its process is reaped, a pidfd not
        try:
            self._pidfd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self._pidfd = None
        self._clock = priority.process_cpu_clock(pid)
        self.demoted = False
        self.lost = False
        self.killed = False

    def ask(self, request):
        """Send a request and wait for its answer (the caller's thread blocks)."""
        try:
            send(self.sock, request)
            if self.sock.recv(1) != TAKEN:
                raise OSError("no acknowledgement")
        except OSError as error:        # it had ended while idle (killed from outside)
            self.lost = True
            raise EvaluatorLost(f"the query process had ended ({error})", delivered=False) from None
        try:
            return receive(self.sock)
        except OSError as error:
            self.lost = True
            raise EvaluatorLost(f"the query process ended before answering ({error})") from None
        except EvaluatorLost:
            self.lost = True
            raise

    def cpu_seconds(self) -> float:
        if self._clock is not None:
            try:
                return time.clock_gettime(self._clock)
            except OSError:     # it has ended and been reaped
                return 0.0
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / _TICK          # utime + stime

    def demote(self) -> bool:
        """Nice 19 and SCHED_IDLE for every thread of the process (the query runs in one with a
        large stack); True if nice 19 was set. Called once the query is found long: from then on
        the process is never reused (its priority cannot be raised back, and `cores` may stop
        it), whether or not the system let its priority be lowered."""
        self.demoted = True
        try:
            threads = [int(t.name) for t in Path(f"/proc/{self.pid}/task").iterdir()]
        except OSError:
            return False
        lowered = all([priority.demote(thread) for thread in threads])
        for thread in threads:
            priority.idle(thread)
        return lowered

    def pause(self) -> None:
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    def _signal(self, number: int) -> None:
        if self.killed or self.lost:
            return
        try:
            if self._pidfd is not None:
                signal.pidfd_send_signal(self._pidfd, number)
            else:
                os.kill(self.pid, number)
        except OSError:         # it has ended: its query's answer says how
            pass

    def kill(self) -> None:
        """End the process (unless it has ended already) and close its socket; idempotent."""
        if self.killed:
            return
        self._signal(signal.SIGKILL)
        self.lost = self.killed = True
        if self._pidfd is not None:
            os.close(self._pidfd)
        self.sock.close()


class Evaluators:
    """A worker's evaluators: a zygote to fork them, and those idle, kept for the next query.

    `answer(request)` is what an evaluator does with each request (in the evaluator process).
    A new evaluator is slow at first (bench: +3 ms on its first query, copying the pages it
    writes), so a thread of the worker keeps SPARES idle ones ready, each first given the
    `warm_ups` requests, and a query forks one itself only when none is left."""

    SPARES = 2

    def __init__(self, answer, keep_idle: int, stack_bytes: int, warm_ups: tuple = ()):
        self._answer = answer
        self._stack = stack_bytes
        self._keep = max(keep_idle, self.SPARES)
        self._warm_ups = warm_ups
        self._idle: list[Evaluator] = []
        self._lock = threading.Lock()
        self._wanted = threading.Condition(self._lock)
        self._control: socket.socket | None = None
        self._filler: threading.Thread | None = None
        self.broken: str | None = None

    def start(self, close: tuple[int, ...] = ()) -> None:
        """Fork the zygote; call while the process has a single thread. `close`: file
        descriptors the zygote must not keep open (gunicorn's listening sockets)."""
        try:
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            pid = os.fork()
        except OSError as error:        # out of processes or memory: serve with threads
            self.broken = f"the query process zygote could not be forked ({error})"
            log.error("%s; queries of this worker run in threads", self.broken)
            return
        if pid == 0:
            ours.close()
            for fd in close:
                close_quietly(fd)
            run_child(lambda: zygote(theirs, self._answer, self._stack))
        theirs.close()
        self._control = ours

    def take(self) -> Evaluator | None:
        """An idle evaluator, else a new one; None if the zygote is gone (the caller then
        evaluates in a thread, as without isolation)."""
        with self._lock:
            self._start_filler()
            found = None
            while self._idle and found is None:
                candidate = self._idle.pop()
                if candidate.lost:
                    candidate.kill()        # closes its descriptors
                else:
                    found = candidate
            if len(self._idle) < self.SPARES:
                self._wanted.notify()
            return found if found is not None else self._spawn()

    def give_back(self, evaluator: Evaluator) -> None:
        with self._lock:
            if not (evaluator.lost or evaluator.demoted) and len(self._idle) < self._keep:
                self._idle.append(evaluator)
                return
        evaluator.kill()

    def _spawn(self) -> Evaluator | None:
        """A new evaluator from the zygote (the lock is held: one request at a time)."""
        if self._control is None or self.broken:
            return None
        try:
            self._control.sendall(b"+")
            message, fds, _, _ = socket.recv_fds(self._control, 64, 1)
            if not fds:
                raise OSError("the zygote answered without a socket")
        except OSError as error:
            self.broken = f"the query process zygote is gone ({error})"
            log.error("%s; queries of this worker now run in threads", self.broken)
            return None
        return Evaluator(int(message.decode()), socket.socket(fileno=fds[0]))

    def _start_filler(self) -> None:
        if self._filler is None and self._control is not None:
            self._filler = threading.Thread(target=self._fill, name="chipkg-evaluators", daemon=True)
            self._filler.start()

    def _fill(self) -> None:
        """Keep SPARES warm evaluators idle (a thread of the worker, started on first use)."""
        while True:
            with self._lock:
                while len(self._idle) >= self.SPARES and not self.broken:
                    self._wanted.wait()
                evaluator = self._spawn()
            if evaluator is None:
                return
            try:
                for request in self._warm_ups:
                    evaluator.ask(request)
            except EvaluatorLost as lost:     # killed from outside, or broken: try again soon
                log.error("a new query process failed its warm-up (%s)", lost)
                evaluator.kill()
                time.sleep(1.0)
                continue
            self.give_back(evaluator)


