#!/usr/bin/env python3
"""Load and soak: concurrent clients against a real `chipkg serve`, with hostile traffic mixed in.

Loopback only, bounded in clients and seconds. One run:

1. start `chipkg serve` (the shipped graph, 2 workers, `--timeout` short so runaway queries
   end) on a free 127.0.0.1 port;
2. **unloaded**: one client sends the normal requests in turn (`--baseline` rounds) and its
   latencies give the unloaded p50/p95;
3. **loaded**: `--clients` threads for `--seconds`, each request normal (stored queries, `/`,
   `/queries`, `/sparql`, `--pages` entity pages as HTML) or, with probability
   `--pathological`, one of PATHOLOGICAL (runaway property paths and products that hit the
   timeout, ReDoS patterns, deep nesting, SERVICE to loopback, oversize bodies); a monitor polls
   `/-/health` and the server's process-tree memory (PSS and RSS) every second;
4. prints a Markdown table: throughput, p50/p95/p99 of normal requests, p95 over its unloaded
   value, errors by status (normal and pathological apart), peak memory and memory after
   warm-up vs at the end, and whether /-/health stayed green. Memory is PSS: the workers and
   query processes are forked copies sharing the loaded store, which RSS would count once per
   process.

    .venv/bin/python bench/load.py                    # 16 clients, 60 s, 10% pathological
    .venv/bin/python bench/load.py --route /claims    # add a path (repeatable)

Targets (issue 10): zero 5xx on normal requests, normal p95 under 3x unloaded, memory flat.
"""

import argparse
import os
import json
import random
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from process_helpers import Serve, http_get, tree_cpu_seconds, tree_pss_bytes, tree_rss_bytes  # noqa: E402

CK = "PREFIX ck: <https://w3id.org/chipkg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
NONE = "<http://example.org/none>"
SPARQL_NORMAL = [
    CK + "SELECT ?deal ?label WHERE { ?deal a ck:Deal ; rdfs:label ?label } ORDER BY ?deal",
    CK + "SELECT ?c (COUNT(*) AS ?n) WHERE { ?x a ?c } GROUP BY ?c ORDER BY DESC(?n) LIMIT 10",
    CK + "ASK { ?d a ck:Deal }",
]
PATHOLOGICAL = [
    ("deep path", "GET", f"/sparql?query=" + quote(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a (!{NONE})*/(!{NONE})* ?b . ?c (!{NONE})* ?d }}"), None),
    ("product", "GET", "/sparql?query=" + quote("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"), None),
    ("regex", "GET", "/sparql?query=" + quote('ASK { FILTER(REGEX("' + "a" * 20000 + '!", "(a+)+$")) }'), None),
    ("nesting", "POST", "/sparql", ("SELECT * WHERE " + "{" * 5000 + "}" * 5000).encode()),
    ("service", "GET", "/sparql?query=" + quote("SELECT * WHERE { ?a ?b 1SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"), None),
    ("oversize", "POST", "/sparql", b"ASK {} #" + b"x" * 1_100_000),
]


# entity pages: the labelled things of the graph (organisations, chips, deals, claims), by IRI
ENTITIES = (CK + "SELECT DISTINCT ?s WHERE { ?s rdfs:label ?l "
            "FILTER(STRSTARTS(STR(?s), 'https://w3id.org/chipkg/id/')) } ORDER BY ?s")


def normal_targets(server: Serve, extra: list[str], pages: int) -> list[str]:
    listing = json.loads(server.get("/queries", {"Accept": "application/json"})[2])
    targets = [f"/queries/{q['name']}?format=json" for q in listing["queries"]]
    targets += ["/", "/queries"] + ["/sparql?query=" + quote(q) for q in SPARQL_NORMAL]
    found = json.loads(server.get("/sparql?query=" + quote(ENTITIES),
                                  {"Accept": "application/sparql-results+json"})[2])
    iris = [row["s"]["value"] for row in found["results"]["bindings"]]
    spread = iris[::max(1, len(iris) // pages)][:pages] if pages else []
    targets += [iri.removeprefix("https://w3id.org/chipkg") for iri in spread]
    return targets + list(extra)


def timed(port: int, method: str, path: str, body: bytes | None,
          client: str | None = None) -> tuple[int, float]:
    began = time.perf_counter()
    headers = {"Accept": "text/html" if path.startswith("/id/") else
               "application/sparql-results+json, application/json;q=0.9, */*;q=0.1"}
    if client:
        headers["X-Forwarded-For"] = client
    if body is not None:
        headers["Content-Type"] = "application/sparql-query"
    try:
        status, _, answer = http_get(port, path, headers, method=method, body=body, timeout=60)
    except OSError as error:
        status = f"conn:{type(error).__name__}"
    else:
        if status == 503:       # which overload answer: slots full, or the time limit
            status = ("503 timeout" if b"time limit" in answer else
                      "503 replaced" if b"being replaced" in answer else "503 busy")
    return status, time.perf_counter() - began


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--pathological", type=float, default=0.10)
    parser.add_argument("--timeout", type=float, default=2.0, help="chipkg serve --timeout")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline", type=int, default=20, help="unloaded rounds of every target")
    parser.add_argument("--route", action="append", default=[], help="another normal path")
    parser.add_argument("--pages", type=int, default=8,
                        help="entity pages (/id/..., as HTML) among the normal targets, spread over the graph")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kind", action="append", choices=[k for k, *_ in PATHOLOGICAL],
                        help="send only this kind of pathological request (repeatable; default all)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean pause of a client between two requests, in seconds (random, "
                             "exponential); 0 = back to back, which saturates the CPU")
    parser.add_argument("--attackers", type=int, default=0,
                        help="send the pathological traffic from this many dedicated clients "
                             "(of --clients) instead of mixing it into every client")
    parser.add_argument("--fair-seconds", type=float, default=0,
                        help="per-client budget of query seconds per minute: each client gets its "
                             "own identity (X-Forwarded-For, 127.0.0.1 trusted); 0 = off")
    options = parser.parse_args()
    assert options.clients <= 64 and options.seconds <= 600, "bounded: at most 64 clients, 600 s"
    log = Path("/tmp") / f"chipkg-load-{int(time.time())}.log"
    env = {}
    if options.fair_seconds:
        env = {"CHIPKG_FAIR_QUERY_SECONDS_PER_MINUTE": str(options.fair_seconds),
               "CHIPKG_FAIR_REQUESTS_PER_MINUTE": "100000", "CHIPKG_FAIR_EXEMPT_LOOPBACK": "0",
               "CHIPKG_TRUSTED_PROXIES": "127.0.0.1"}
    server = Serve(["--workers", str(options.workers), "--timeout", str(options.timeout),
                    "--skip-quotes"], env=env, log=log).start()
    try:
        return run(server, options)
    finally:
        server.stop()


def run(server: Serve, options) -> int:
    targets = normal_targets(server, options.route, options.pages)
    for path in targets:                                   # warm up, and check they all work
        status, _ = timed(server.port, "GET", path, None)
        assert status == 200, (path, status)        # noqa: the targets must work unloaded
    unloaded = [(p, timed(server.port, "GET", p, None)[1]) for _ in range(options.baseline) for p in targets]
    normal: list[tuple[float, object, float, str]] = []    # (at, status, seconds, path)
    hostile: Counter = Counter()
    health: Counter = Counter()
    memory: list[tuple[float, int]] = []
    began = time.monotonic()
    stop = began + options.seconds
    cpu_began = tree_cpu_seconds(server.process.pid)

    def client(number: int):
        rng = random.Random(options.seed * 1000 + number)
        identity = f"198.51.100.{number + 1}" if options.fair_seconds else None
        share = options.pathological
        kinds = [p for p in PATHOLOGICAL if not options.kind or p[0] in options.kind]
        if options.attackers:
            share = 1.0 if number < options.attackers else 0.0
        while time.monotonic() < stop:
            if rng.random() < share:
                name, method, path, body = rng.choice(kinds)
                status, _ = timed(server.port, method, path, body, identity)
                hostile[(name, status)] += 1
            else:
                path = rng.choice(targets)
                status, seconds = timed(server.port, "GET", path, None, identity)
                normal.append((time.monotonic() - began, status, seconds, path))
            if options.think:
                time.sleep(min(rng.expovariate(1 / options.think), 10 * options.think))

    def monitor():
        while time.monotonic() < stop:
            try:
                health[http_get(server.port, "/-/health", timeout=10)[0]] += 1
            except OSError:
                health["conn"] += 1
            pid = server.process.pid
            memory.append((time.monotonic() - began, tree_pss_bytes(pid), tree_rss_bytes(pid)))
            time.sleep(1.0)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(options.clients)]
    threads.append(threading.Thread(target=monitor))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    cpu = (tree_cpu_seconds(server.process.pid) - cpu_began) / elapsed
    print(table(options, targets, unloaded, normal, hostile, health, memory, elapsed, cpu))
    fives = sum(1 for _, s, _, _ in normal if str(s)[0] == "5")
    return 0 if fives == 0 and set(health) == {200} else 1


def kind(path: str) -> str:
    return ("entity pages" if path.startswith("/id/") else "stored queries" if path.startswith("/queries/")
            else "/sparql" if path.startswith("/sparql") else "other pages")


def by_kind(normal, unloaded) -> list[str]:
    found = []
    for name in ("entity pages", "stored queries", "/sparql", "other pages"):
        loaded = [t for _, status, t, path in normal if status == 200 and kind(path) == name]
        base = [t for path, t in unloaded if kind(path) == name]
        if loaded and base:
            found.append(f"{name} {percentile(loaded, .95) * 1000:.1f} / {percentile(base, .95) * 1000:.1f} ms")
    return found


def by_half_minute(memory) -> list[list[int]]:
    spans: dict[int, list[int]] = {}
    for at, pss, _ in memory:
        spans.setdefault(int(at // 30), []).append(pss)
    return [spans[k] for k in sorted(spans)]


def table(options, targets, unloaded, normal, hostile, health, memory, elapsed, cpu) -> str:
    ok = [seconds for _, status, seconds, _ in normal if status == 200]
    statuses = Counter(status for _, status, _, _ in normal)
    warm = [pss for at, pss, _ in memory if 10 <= at < 20] or [memory[0][1]]
    end = [pss for at, pss, _ in memory if at >= elapsed - 10] or [memory[-1][1]]
    mib = 1 << 20
    base95 = percentile([seconds for _, seconds in unloaded], 0.95)
    rows = [
        ("clients / duration / think time", f"{options.clients} / {elapsed:.0f} s / "
         + (f"{options.think * 1000:g} ms mean" if options.think else "none (back to back)")),
        ("pathological traffic", ""
         + (f"{options.attackers} attacker clients" if options.attackers else f"{options.pathological:.0%} of every client's requests")),
        ("per-client budget", f"{options.fair_seconds:g} query s/min per client" if options.fair_seconds else "off (loopback exempt)"),
        ("server", f"chipkg serve, {options.workers} workers, --timeout {options.timeout:g} s, shipped graph"),
        ("normal targets", f"{len(targets)} (stored queries, /, /queries, /sparql, {options.pages} entity pages)"),
        ("server CPU (process tree)", f"{cpu:.2f} cores of {os.cpu_count()}"),
        ("throughput, all requests", f"{(len(normal) + sum(hostile.values())) / elapsed:.1f} req/s"),
        ("throughput, normal requests", f"{len(normal) / elapsed:.1f} req/s"),
        ("normal p50 / p95 / p99", f"{percentile(ok, .5) * 1000:.1f} / {percentile(ok, .95) * 1000:.1f} / {percentile(ok, .99) * 1000:.1f} ms"),
        ("unloaded p50 / p95 (same run)", f"{percentile([t for _, t in unloaded], .5) * 1000:.1f} / {base95 * 1000:.1f} ms"),
        ("normal p95 / unloaded p95", f"{percentile(ok, .95) / base95:.2f}x (target < 3x)"),
        ("p95 loaded / unloaded, by kind", "; ".join(by_kind(normal, unloaded))),
        ("normal requests by status", ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items(), key=str))),
        ("normal 5xx", str(sum(n for s, n in statuses.items() if str(s)[0] == "5")) + " (target 0)"),
        ("pathological by kind and status", ", ".join(f"{k} {s}: {n}" for (k, s), n in sorted(hostile.items(), key=str))),
        ("peak PSS / RSS (server process tree)", f"{max(m[1] for m in memory) / mib:.0f} / "
         f"{max(m[2] for m in memory) / mib:.0f} MiB"),
        ("PSS after warm-up (10-20 s) / last 10 s", f"{statistics.mean(warm) / mib:.0f} / {statistics.mean(end) / mib:.0f} MiB"),
        ("PSS median by 30 s (what runaways hold comes and goes)", " / ".join(
            f"{statistics.median(pss) / mib:.0f}" for pss in by_half_minute(memory)) + " MiB"),
        ("/-/health", "green throughout" if set(health) == {200} else f"NOT green: {dict(health)}"),
    ]
    return "| measure | value |\n|---|---|\n" + "\n".join(f"| {a} | {b} |" for a, b in rows)


if __name__ == "__main__":
    sys.exit(main())
