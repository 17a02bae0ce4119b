"""Request and query metrics, shared by all worker processes, in Prometheus text format.

The counters live in shared memory made before gunicorn forks (the app is
preloaded in the master), one row per worker process: a worker writes only its
own row under a thread lock, so no lock is ever shared between processes, and
/-/metrics, whichever worker answers, sums every row. A fresh worker takes over
the row of a dead one, so counters never go back; its in-flight gauge is reset.
"""

import multiprocessing
import os
import threading

STATUSES = (200, 204, 304, 400, 403, 404, 405, 406, 413, 414, 415, 429, 500, 502, 503)
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
COUNTERS = {
    "query_timeouts_total": "Queries answered 503 after the time limit",
    "queries_rejected_busy_total": "Queries refused with 503 because the worker was at its limit",
    "queries_demoted_total": "Queries found long (CPU time) and moved to nice 19 and the long lane",
    "results_truncated_total": "Answers cut at MAX_RESULT_ROWS (and flagged Chipkg-Truncated)",
    "not_exists_rewrites_total": "FILTER NOT EXISTS rewritten to MINUS",
    "workers_retired_total": "Worker processes replaced after a timed-out query",
    "requests_rate_limited_total": "Requests refused with 429: the client was over its budget",
}
_SLOTS = 64


class Metrics:
    def __init__(self):
        self._names = ([f"requests_total:{s}" for s in STATUSES] + ["requests_total:other"]
                       + list(COUNTERS) + [f"query_bucket:{b}" for b in BUCKETS]
                       + ["query_count", "query_sum", "in_flight"])
        self._index = {name: i for i, name in enumerate(self._names)}
        self._width = len(self._names)
        self._cells = multiprocessing.RawArray("d", _SLOTS * self._width)
        self._owners = multiprocessing.RawArray("q", _SLOTS)
        self._lock = threading.Lock()
        self._row = 0
        self._owners[0] = os.getpid()
        self.gauges: dict[str, tuple[str, float]] = {}

    def claim_row(self) -> None:
        """In a freshly forked worker: take a free row, or the row of a dead process."""
        for row in range(1, _SLOTS):
            owner = self._owners[row]
            if owner == 0 or not _alive(owner):
                self._owners[row] = os.getpid()
                self._row = row
                self._cells[row * self._width + self._index["in_flight"]] = 0.0
                return
        self._row = 0       # more processes than rows: share the master's row

    def _add(self, name: str, amount: float) -> None:
        cell = self._row * self._width + self._index[name]
        with self._lock:
            self._cells[cell] += amount

    def inc(self, name: str, amount: float = 1.0) -> None:
        self._add(name, amount)

    def count_request(self, status: int) -> None:
        self._add(f"requests_total:{status}" if status in STATUSES else "requests_total:other", 1.0)

    def in_flight(self, change: int) -> None:
        self._add("in_flight", change)

    def observe_query(self, seconds: float) -> None:
        base = self._row * self._width
        with self._lock:
            for bound in BUCKETS:
                if seconds <= bound:
                    self._cells[base + self._index[f"query_bucket:{bound}"]] += 1
            self._cells[base + self._index["query_count"]] += 1
            self._cells[base + self._index["query_sum"]] += seconds

    def total(self, name: str) -> float:
        column = self._index[name]
        return sum(self._cells[row * self._width + column] for row in range(_SLOTS))

    def render(self) -> str:
        """Every metric, summed over worker processes, in Prometheus text format 0.0.4."""
        lines = ["# HELP chipkg_requests_total HTTP requests answered, by status",
                 "# TYPE chipkg_requests_total counter"]
        for status in (*STATUSES, "other"):
            lines.append(f'chipkg_requests_total{{status="{status}"}} '
                         f"{self.total(f'requests_total:{status}'):g}")
        for name, description in COUNTERS.items():
            lines += [f"# HELP chipkg_{name} {description}", f"# TYPE chipkg_{name} counter",
                      f"chipkg_{name} {self.total(name):g}"]
        lines += ["# HELP chipkg_query_seconds Time from a query's start to its answer",
                  "# TYPE chipkg_query_seconds histogram"]
        for bound in BUCKETS:
            lines.append(f'chipkg_query_seconds_bucket{{le="{bound:g}"}} '
                         f"{self.total(f'query_bucket:{bound}'):g}")
        lines += [f'chipkg_query_seconds_bucket{{le="+Inf"}} {self.total("query_count"):g}',
                  f"chipkg_query_seconds_sum {self.total('query_sum'):.6f}",
                  f"chipkg_query_seconds_count {self.total('query_count'):g}",
                  "# HELP chipkg_queries_in_flight Queries being evaluated now",
                  "# TYPE chipkg_queries_in_flight gauge",
                  f"chipkg_queries_in_flight {self.total('in_flight'):g}"]
        for name, (description, value) in sorted(self.gauges.items()):
            lines += [f"# HELP chipkg_{name} {description}", f"# TYPE chipkg_{name} gauge",
                      f"chipkg_{name} {value:g}"]
        return "\n".join(lines) + "\n"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
