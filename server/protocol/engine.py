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

Under `chipkg serve` (ISOLATE_QUERIES) the thread hands the query to an evaluator process
instead (`isolation`), which a timeout kills, so the worker is not retired; once found long,
that process computes only in turns on LONG_QUERY_CORES cores (`cores`). The thread path
remains for the test client, for stores the evaluators were not forked with (an evidence
view built later) and for a worker whose zygote is gone.
"""

import logging
import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from chipkg.formats import Format
from chipkg.namespaces import PREFIX_IRIS

from ..errors import (SparqlError, bad_request, internal_error, query_timeout, server_busy,
                      store_failed, worker_retiring)
from ..hardening import priority
from .isolation import WARM_UPS, EvaluatorLost, Evaluators
from .jobs import STACK_BYTES, Job, Threads
from .results import Rendered, default_format, head, is_graph, render

log = logging.getLogger("chipkg.server")


@dataclass(frozen=True)
class Plan:
    query: str
    output: Format | None               # None: Python objects for the HTML view
    options: dict = field(default_factory=dict)     # keyword arguments of Store.query
    store: ox.Store | None = None       # query this store instead (an evidence view's, server/views)
    # in a process a timeout can kill (`isolation`), if any: for a client's query text. The
    # server's own (known, bounded) run in a thread, a round trip cheaper (bench/load.py)
    killable: bool = True


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


# how often a waiting request thread looks at its query's CPU time
POLL_SECONDS = 0.01

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
        self._keep_idle = max_concurrent        # evaluator processes kept between queries
        self._pending: set[Job] = set()
        self._retiring = False
        self._threads = Threads(self._work)
        self._evaluators: Evaluators | None = None
        self._stores: dict[int, ox.Store] = {}
        self._cores = None              # long queries take turns on these (`cores`)

    def isolate(self, stores: tuple = (), close: tuple[int, ...] = (), cores=None) -> None:
        """Evaluate queries in killable processes from now on (see `isolation`); call while
        this process has a single thread. `stores`: further stores queries may name (evidence
        views already built); `close`: descriptors the processes must not keep; `cores`: the
        server's `cores.Cores`, if long queries are to take turns."""
        if not self._computes_here:
            return
        self._cores = cores
        known = [self.store, *stores]
        self._stores = {id(s): s for s in known}
        self._evaluators = Evaluators(self._answer, keep_idle=self._keep_idle,
                                      stack_bytes=STACK_BYTES, warm_ups=WARM_UPS)
        self._evaluators.start(close)

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
        job = Job(plan)
        began = time.perf_counter()
        try:
            self._isolate(job)
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

    def _wait(self, job: Job, deadline: float) -> None:
        """Wait for the job until the deadline; on the way, demote it once its CPU time
        reaches demote_after (checked every POLL_SECONDS: a short query never waits that
        long, so it costs them nothing)."""
        watch = self.demote_after > 0 and self._computes_here
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                with job.lock:
                    if job.done.is_set():       # it ended just now: answer it
                        return
                    evaluator = job.evaluator
                self._count("query_timeouts_total")
                if evaluator is not None:
                    evaluator.kill()            # the computation ends here, with its process
                    raise query_timeout(self.timeout, self.retry_after, retire=False)
                raise query_timeout(self.timeout, self.retry_after)
            if job.done.wait(min(left, POLL_SECONDS) if watch else left):
                return
            if watch and job.used_cpu() >= self.demote_after:
                watch = False
                job.demote(self._lanes)
                if job.slow:            # not if it ended meanwhile
                    self._count("queries_demoted_total")
                    if self._cores is not None and job.evaluator is not None:
                        self._cores.share(job.evaluator, job.done, deadline, lambda: self._retiring)
            if job.slow and self._retiring:
                job.abandon()

    def _count(self, name: str) -> None:
        if self.metrics is not None:
            self.metrics.inc(name)

    def _isolate(self, job: Job) -> None:
        """Give the job an evaluator process, if there are any and it knows the job's store."""
        pool, store = self._evaluators, job.plan.store
        if pool is None or not job.plan.killable or (store is not None and id(store) not in self._stores):
            return
        job.use(pool.take())

    def _work(self, job: Job) -> None:
        job.thread_id = priority.current_thread_id()
        if self.metrics is not None:
            self.metrics.in_flight(+1)
        try:
            if job.evaluator is None:
                job.cpu = priority.thread_cpu_clock()
                job.value, job.error = self._outcome(job.plan)
            else:
                job.value, job.error = self._ask(job)
        finally:
            if self.metrics is not None:
                self.metrics.in_flight(-1)
            with job.lock:
                self._lanes.leave(job.long)
                job.done.set()
            # only now: once done, it cannot be demoted (Job.demote) after it is back in the pool
            if job.evaluator is not None:
                self._evaluators.give_back(job.evaluator)

    def _ask(self, job: Job) -> tuple:
        plan = job.plan
        request = (plan.query, plan.output, plan.options, None if plan.store is None else id(plan.store))
        while True:
            evaluator = job.evaluator
            try:
                kind, value = evaluator.ask(request)
                break
            except EvaluatorLost as lost:
                if evaluator.killed:    # at the timeout: its client has had the 503 already
                    return None, internal_error()
                log.error("query process %s: %s", evaluator.pid, lost)
                if lost.delivered:      # it died with the query (the query may be why): no retry
                    return None, internal_error()
                evaluator.kill()        # closes its descriptors
                retry = self._evaluators.take()
                job.use(retry)
                if retry is None:       # the zygote is gone too: this thread computes it
                    job.cpu = priority.thread_cpu_clock()
                    return self._outcome(plan)
        return (value, None) if kind == "value" else (None, value)

    def _answer(self, request) -> tuple:
        """In an evaluator process: evaluate one request of `_ask`."""
        query, output, options, store = request
        value, error = self._outcome(Plan(query, output, options, self._stores.get(store)))
        if error is None:
            return "value", value
        if not isinstance(error, SparqlError):      # a bug: logged here, a 500 there
            log.error("query failed in a query process", exc_info=error)
            error = internal_error()
        return "error", error

    def _outcome(self, plan: Plan) -> tuple:
        """(value, None) or (None, the error to answer with)."""
        try:
            return self._evaluate(plan), None
        except SyntaxError as error:    # after the query was parsed: a remote store's answer
            # (a store that streams its answer reports a failure inside the body, after its 200)
            cause = "a SERVICE call failed in the store, or " if "SERVICE" in plan.query.upper() else ""
            return None, store_failed(f"{cause}the store's answer could not be read: {error}")
        except SparqlError as error:
            # without its frames: they may hold pyoxigraph results, which must not be dropped
            # in the request thread (pyoxigraph's results are bound to the thread that made them)
            return None, error.with_traceback(None)
        except OSError as error:
            return None, SparqlError(502, f"a SERVICE call failed: {error}")
        except RuntimeError as error:
            # pyoxigraph refuses, at evaluation, a call to a function it does not know
            # ("The custom function <...> is not supported"): the client's query, not a bug here
            if "custom function" in str(error):
                return None, bad_request(f"{error}: this endpoint offers the SPARQL 1.1 functions only")
            return None, error
        except BaseException as error:      # re-raised in the request thread, answered with 500
            return None, error

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

