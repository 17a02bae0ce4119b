"""Timing requests: sequential latency (one keep-alive client) and throughput (8 clients).

Throughput uses `wrk` when it is installed (a C client: on a 2-core machine a Python
client would take CPU from the servers it measures); otherwise Python threads with
one keep-alive http.client connection each.
"""

import http.client
import json
import math
import re
import shutil
import statistics
import subprocess
import threading
import time

from servers import HOST, Server

SELECT_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples"


class Client:
    """One keep-alive connection to one server; reconnects when the server closes it."""

    def __init__(self, server: Server, timeout: float):
        self.server, self.timeout = server, timeout
        self.conn = http.client.HTTPConnection(HOST, server.port, timeout=timeout)

    def get(self, target: str, accept: str) -> tuple[float, int, bytes]:
        """(seconds, status, body) of one GET, body read to the end. Raises on timeout.

        A keep-alive connection the server closed while idle (uvicorn after 5 s, for
        example) fails at once on reuse: that request is sent again on a new connection.
        """
        for attempt in (1, 2):
            began = time.perf_counter()
            try:
                self.conn.request("GET", target, headers={"Accept": accept})
                response = self.conn.getresponse()
                body = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._reconnect()
                if attempt == 2:
                    raise
            except (OSError, http.client.HTTPException):
                self._reconnect()
                raise
        elapsed = time.perf_counter() - began
        if response.will_close:
            self.conn.close()
        return elapsed, response.status, body

    def _reconnect(self) -> None:
        self.conn.close()
        self.conn = http.client.HTTPConnection(HOST, self.server.port, timeout=self.timeout)

    def close(self) -> None:
        self.conn.close()


def count_rows(body: bytes, graph: bool) -> int | str:
    """Rows of a SPARQL JSON result, triples of an N-Triples body, or an ASK answer."""
    if graph:
        return sum(1 for line in body.splitlines() if line.strip() and not line.startswith(b"#"))
    data = json.loads(body)
    if "boolean" in data:
        return str(data["boolean"]).lower()
    return len(data["results"]["bindings"])


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summary(seconds: list[float]) -> dict:
    if not seconds:
        return {"n": 0}
    return {"n": len(seconds), "median_ms": statistics.median(seconds) * 1000,
            "p95_ms": percentile(seconds, 0.95) * 1000}


# ---------------------------------------------------------------- throughput

def throughput(server: Server, target: str, accept: str, clients: int, seconds: float,
               timeout: float) -> dict:
    if shutil.which("wrk"):
        return _wrk(server, target, accept, clients, seconds, timeout)
    return _threads(server, target, accept, clients, seconds, timeout)


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", text).groups()
    return float(number) * _UNITS[unit]


def _wrk(server: Server, target: str, accept: str, clients: int, seconds: float,
         timeout: float) -> dict:
    argv = ["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout",
            f"{max(1, round(timeout))}s", "--latency", "-H", f"Accept: {accept}",
            f"http://{HOST}:{server.port}{target}"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + timeout + 30)
    out = done.stdout
    result = {"client": f"wrk -t1 -c{clients}", "requests_per_s": None}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", out):
        result["requests_per_s"] = float(m.group(1))
    if m := re.search(r"(\d+) requests in", out):
        result["requests"] = int(m.group(1))
    for share in ("50", "99"):
        if m := re.search(rf"^\s+{share}%\s+(\S+)", out, re.M):
            result[f"p{share}_ms"] = _ms(m.group(1))
    result["non_2xx"] = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result["socket_errors"] = sum(int(x) for x in m.groups())
    if result["requests_per_s"] is None:
        result["error"] = (done.stderr or out)[-300:]
    return result


def _threads(server: Server, target: str, accept: str, clients: int, seconds: float,
             timeout: float) -> dict:
    stop_at = time.perf_counter() + seconds
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def work():
        client = Client(server, timeout)
        mine = []
        while time.perf_counter() < stop_at:
            try:
                elapsed, status, _ = client.get(target, accept)
            except OSError:
                with lock:
                    failures[0] += 1
                continue
            if status == 200:
                mine.append(elapsed)
            else:
                with lock:
                    failures[0] += 1
        client.close()
        with lock:
            latencies.extend(mine)

    began = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    result = {"client": f"python threads x{clients}", "requests": len(latencies),
              "requests_per_s": len(latencies) / wall, "non_2xx": failures[0]}
    if latencies:
        result["p50_ms"] = percentile(latencies, 0.5) * 1000
        result["p99_ms"] = percentile(latencies, 0.99) * 1000
    return result
