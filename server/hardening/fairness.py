"""Per-client fairness: a budget of requests and of server seconds per minute, then 429.

A public endpoint is shared; one client looping over expensive queries must not
take every worker from the others. Each client (its address; see `client_of` for
proxies) gets FAIR_REQUESTS_PER_MINUTE requests and FAIR_QUERY_SECONDS_PER_MINUTE
seconds of request time (the wall time the server spent answering it, which for a
query is its evaluation time, a timed-out query counting its full limit) per
calendar minute. Past either, the answer is 429 with Retry-After = the seconds
left in the minute, before any work is done. Loopback clients are exempt while
FAIR_EXEMPT_LOOPBACK is on (development, benchmarks, health probes).

The counts are shared by all gunicorn workers without a shared lock, like
`metrics`: a table in shared memory made before the fork, one row per process,
each process writing only its row; a check sums a client's cell over all rows.
A client hashes to one of `BUCKETS` cells; two clients colliding in the same
minute evict each other's count (the budget errs towards letting them through).
"""

import ipaddress
import math
import multiprocessing
import os
import threading
import time
import zlib

from flask import Blueprint, current_app, g, request

from ..errors import too_many_requests

blueprint = Blueprint("fairness", __name__)
ROWS = 64           # processes (same bound as metrics)
BUCKETS = 512       # client cells per process
_FIELDS = 4         # client hash, minute, requests, seconds
EXEMPT_PATHS = ("/-/health", "/static/")
_now = time.time        # the clock (tests freeze it)


class Budget:
    def __init__(self):
        self._cells = multiprocessing.RawArray("d", ROWS * BUCKETS * _FIELDS)
        self._owners = multiprocessing.RawArray("q", ROWS)
        self._lock = threading.Lock()
        self._pid = None
        self._row = 0

    def _my_row(self) -> int:
        pid = os.getpid()
        if self._pid != pid:        # first use in this process (a forked worker): claim a row
            self._pid, self._row = pid, 0
            for row in range(ROWS):
                owner = self._owners[row]
                if owner == 0 or owner == pid or not _alive(owner):
                    self._owners[row] = pid
                    self._row = row
                    break
        return self._row

    def _offset(self, row: int, key: int) -> int:
        return (row * BUCKETS + key % BUCKETS) * _FIELDS

    def used(self, client: str, minute: int) -> tuple[int, float]:
        """Requests and seconds `client` has used in `minute`, summed over all processes."""
        key = _hash(client)
        requests = seconds = 0.0
        for row in range(ROWS):
            at = self._offset(row, key)
            if self._cells[at] == key and self._cells[at + 1] == minute:
                requests += self._cells[at + 2]
                seconds += self._cells[at + 3]
        return int(requests), seconds

    def charge(self, client: str, minute: int, requests: int, seconds: float) -> None:
        key = _hash(client)
        with self._lock:
            at = self._offset(self._my_row(), key)
            cells = self._cells
            if cells[at] != key or cells[at + 1] != minute:
                cells[at], cells[at + 1], cells[at + 2], cells[at + 3] = key, minute, 0.0, 0.0
            cells[at + 2] += requests
            cells[at + 3] += seconds


def _hash(client: str) -> int:
    return zlib.crc32(client.encode("utf-8")) + 1     # never 0, the value of an empty cell


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_of(remote_addr: str | None, forwarded_for: str | None, trusted: list[str]) -> str:
    """The client's address: the peer, or, when the peer is a trusted proxy, the last address
    in X-Forwarded-For that is not a trusted proxy (earlier entries are the client's to forge)."""
    peer = remote_addr or ""
    if not trusted or peer not in trusted or not forwarded_for:
        return peer
    for hop in reversed(forwarded_for.split(",")):
        hop = hop.strip()
        if hop not in trusted:
            return hop if _address(hop) is not None else peer
    return peer


def _is_loopback(client: str) -> bool:
    address = _address(client)
    return address is not None and address.is_loopback


def _minute(now: float) -> int:
    return int(now // 60)


@blueprint.before_app_request
def _check_budget():
    config = current_app.config
    max_requests = config["FAIR_REQUESTS_PER_MINUTE"]
    max_seconds = config["FAIR_QUERY_SECONDS_PER_MINUTE"]
    if not max_requests and not max_seconds:
        return None
    if request.path.startswith(EXEMPT_PATHS):
        return None
    client = client_of(request.remote_addr, request.headers.get("X-Forwarded-For"),
                       config["TRUSTED_PROXIES"])
    if config["FAIR_EXEMPT_LOOPBACK"] and _is_loopback(client):
        return None
    budget = current_app.extensions["chipkg"].budget
    now = _now()
    minute = _minute(now)
    requests, seconds = budget.used(client, minute)
    retry_after = max(1, math.ceil((minute + 1) * 60 - now))
    if max_requests and requests >= max_requests:
        current_app.extensions["chipkg"].metrics.inc("requests_rate_limited_total")
        raise too_many_requests(f"{requests} requests this minute; the limit per client is "
                                f"{max_requests}", retry_after)
    if max_seconds and seconds >= max_seconds:
        current_app.extensions["chipkg"].metrics.inc("requests_rate_limited_total")
        raise too_many_requests(f"{seconds:.1f} s of query time this minute; the limit per "
                                f"client is {max_seconds:g} s", retry_after)
    budget.charge(client, minute, 1, 0.0)
    g.fair_client = (client, minute, time.perf_counter())
    return None


@blueprint.after_app_request
def _charge_time(response):
    charged = g.pop("fair_client", None)
    if charged is not None:
        client, minute, began = charged
        current_app.extensions["chipkg"].budget.charge(client, minute, 0,
                                                       time.perf_counter() - began)
    return response
