"""Executing queries on the store (embedded pyoxigraph, or remote: `backends`), within the limits.

Each query is parsed, evaluated and serialised in a daemon thread of the
engine while the request thread waits for it with the timeout. pyoxigraph releases the GIL
while it evaluates, so the waiting thread (and the worker's other threads) keep
running. On expiry the client gets 503 at once; the computation cannot be
stopped from Python, so the error asks for the worker process to be retired
(`retire_worker`): under `chipkg serve` the worker exits right after sending the
answer and gunicorn forks a fresh one from the loaded master, which ends the
runaway computation with the process. Slots bound the queries running in one
process (`hardening.priority.Lanes`): a query waits SLOT_WAIT_SECONDS for one of
MAX_CONCURRENT_QUERIES, then 503 + Retry-After; once it has used
QUERY_DEMOTE_AFTER_CPU_SECONDS of CPU it runs at nice 19 and moves to one of
MAX_LONG_QUERIES, leaving its slot to short queries.
"""

import os
import queue
import threading
import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from chipkg.formats import Format
from chipkg.namespaces import PREFIX_IRIS

from ..errors import SparqlError, bad_request, query_timeout, server_busy, store_failed, worker_retiring
from ..hardening import priority
from .results import Rendered, default_format, head, is_graph, render


@dataclass(frozen=True)
class Plan:
    query: str
    output: Format | None               # None: Python objects for the HTML view
    options: dict = field(default_factory=dict)     # keyword arguments of Store.query
    store: ox.Store | None = None       # query this store instead (an evidence view's, server/views)


@dataclass
class Table:
    """Results for the HTML view: solutions, triples (as Turtle) or a boolean."""
    variables: list[str] = field(default_factory=list)
    rows: list = field(default_factory=list)
    boolean: bool | None = None
    turtle: str | None = None
    truncated: bool = False


@dataclass
class Answer:
    rendered: Rendered | None
    table: Table | None
    seconds: float

    @property
    def truncated(self) -> bool:
        return (self.rendered or self.table).truncated


class _Job:
    def __init__(self, plan: Plan):
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

    def abandon(self) -> None:
        """Stop waiting for it: its worker is being replaced (see `Engine.retire`)."""
        with self.lock:
            if not self.done.is_set():
                self.abandoned = True
                self.done.set()

    def used_cpu(self) -> float:
        cpu = self.cpu
        try:
            return cpu() if cpu is not None else 0.0
        except OSError:         # its thread has ended: so has the query
            return 0.0

    def demote(self, lanes: priority.Lanes) -> None:
        """The query is long: lower its CPU priority and move it to the long lane."""
        with self.lock:
            if not self.done.is_set() and self.thread_id is not None:
                self.slow = True
                self.demoted = priority.demote(self.thread_id)
                self.long = lanes.promote()


# how often a waiting request thread looks at its query's CPU time
POLL_SECONDS = 0.01

# Oxigraph parses and evaluates recursively; its threads get a large stack (virtual memory,
# touched only as deep as a query goes) so the guard's limits sit far below a stack overflow.
STACK_BYTES = 256 * 1024 * 1024


class _Threads:
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

    def submit(self, job: "_Job") -> None:
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


class Engine:
    def __init__(self, store: ox.Store, *, timeout: float, max_rows: int, max_concurrent: int,
                 retry_after: int, metrics=None, demote_after: float = 0.0,
                 slot_wait: float = 0.0, max_long: int = 0):
        # a remote store (server/backends) reads each answer within the time limit, plus a
        # second so the engine's own 503 comes first and the slot stays held until then
        limited = getattr(store, "with_timeout", None)
        self.store = limited(timeout + 1.0) if limited else store
        # a remote store computes in its own process: its CPU is not this thread's to count
        self._computes_here = limited is None
        self.timeout = timeout
        self.demote_after = demote_after
        self.max_rows = max_rows
        self.retry_after = retry_after
        self.metrics = metrics
        self._lanes = priority.Lanes(max_concurrent, max_long, slot_wait)
        self._pending: set[_Job] = set()
        self._retiring = False
        self._threads = _Threads(self._work)

    def retire(self) -> None:
        """This process is about to be replaced (a query timed out in it): stop waiting for
        long queries (see `hardening.priority`), now and from now on, so it exits as
        soon as its short queries are answered; their clients get 503 + Retry-After and retry
        on a fresh worker. Each runaway computation ends with the process."""
        self._retiring = True
        for job in list(self._pending):
            if job.slow:
                job.abandon()

    def run(self, plan: Plan) -> Answer:
        # a short wait for a slot absorbs bursts (a worker being replaced halves capacity for a
        # moment); a longer one would only queue work the client is better told to retry
        if not self._lanes.enter():
            self._count("queries_rejected_busy_total")
            raise server_busy(self.retry_after)
        job = _Job(plan)
        began = time.perf_counter()
        try:
            self._threads.submit(job)
        except BaseException:
            self._lanes.leave(long=False)
            raise
        self._pending.add(job)
        try:
            self._wait(job, began + self.timeout)
        finally:
            self._pending.discard(job)
        if job.abandoned:
            raise worker_retiring(self.retry_after)
        seconds = time.perf_counter() - began
        if self.metrics is not None:
            self.metrics.observe_query(seconds)
        if job.error is not None:
            raise job.error
        value = job.value
        if value.truncated:
            self._count("results_truncated_total")
        if isinstance(value, Table):
            return Answer(None, value, seconds)
        return Answer(value, None, seconds)

    def _wait(self, job: _Job, deadline: float) -> None:
        """Wait for the job until the deadline; on the way, demote it once its CPU time
        reaches demote_after (checked every POLL_SECONDS: a short query never waits that
        long, so it costs them nothing)."""
        watch = self.demote_after > 0 and self._computes_here
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                self._count("query_timeouts_total")
                raise query_timeout(self.timeout, self.retry_after)
            if job.done.wait(min(left, POLL_SECONDS) if watch else left):
                return
            if watch and job.used_cpu() >= self.demote_after:
                watch = False
                job.demote(self._lanes)
                if job.slow:            # not if it ended meanwhile
                    self._count("queries_demoted_total")
            if job.slow and self._retiring:
                job.abandon()

    def _count(self, name: str) -> None:
        if self.metrics is not None:
            self.metrics.inc(name)

    def _work(self, job: _Job) -> None:
        job.thread_id = priority.current_thread_id()
        job.cpu = priority.thread_cpu_clock()
        if self.metrics is not None:
            self.metrics.in_flight(+1)
        try:
            job.value = self._evaluate(job.plan)
        except SyntaxError as error:    # after the query was parsed: a remote store's answer
            # (a store that streams its answer reports a failure inside the body, after its 200)
            cause = "a SERVICE call failed in the store, or " if "SERVICE" in job.plan.query.upper() else ""
            job.error = store_failed(f"{cause}the store's answer could not be read: {error}")
        except SparqlError as error:
            # without its frames: they may hold pyoxigraph results, which must not be dropped
            # in the request thread (pyoxigraph's results are bound to the thread that made them)
            job.error = error.with_traceback(None)
        except OSError as error:
            job.error = SparqlError(502, f"a SERVICE call failed: {error}")
        except RuntimeError as error:
            # pyoxigraph refuses, at evaluation, a call to a function it does not know
            # ("The custom function <...> is not supported"): the client's query, not a bug here
            job.error = (bad_request(f"{error}: this endpoint offers the SPARQL 1.1 functions only")
                         if "custom function" in str(error) else error)
        except BaseException as error:      # re-raised in the request thread, answered with 500
            job.error = error
        finally:
            if self.metrics is not None:
                self.metrics.in_flight(-1)
            with job.lock:
                self._lanes.leave(job.long)
                job.done.set()

    def _query(self, plan: Plan):
        return (plan.store or self.store).query(plan.query, **plan.options)

    def _evaluate(self, plan: Plan) -> Rendered | Table:
        try:
            results = self._query(plan)
        except SyntaxError as error:
            # Oxigraph's message says where: "error at LINE:COLUMN: expected ..."
            raise bad_request(f"SPARQL syntax {error.msg}") from None
        if plan.output is None:
            return self._table(results)
        fmt = plan.output
        if (fmt.kind == "graph") != is_graph(results):
            fmt = default_format(results)   # the query's form was not recognised before
        # a remote store replays the answer it is streaming rather than be asked twice
        again = getattr(plan.store or self.store, "again", None) or (lambda: self._query(plan))
        return render(results, fmt, self.max_rows, again)

    def _table(self, results) -> Table:
        if isinstance(results, ox.QueryBoolean):
            return Table(boolean=bool(results))
        if is_graph(results):
            triples, truncated = head(results, self.max_rows)
            text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIX_IRIS)
            return Table(turtle=(text or b"").decode("utf-8"), truncated=truncated)
        variables = [v.value for v in results.variables]
        rows, truncated = head(results, self.max_rows)
        return Table(variables, [[row[name] for name in variables] for row in rows],
                     truncated=truncated)

