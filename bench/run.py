#!/usr/bin/env python3
"""chipkg benchmark: `chipkg serve` against in-memory `oxigraph serve` and rdflib-endpoint.

One run: for each size, make (or reuse) a synthetic graph with `chipkg synth`, start the
servers on 127.0.0.1 with the same data, check that they give the same answers, then
measure sequential latency of the researcher queries (interleaved across servers),
`ASK {}` overhead, and throughput at 8 concurrent clients. Prints a table with ratios
and saves it (Markdown and JSON) under bench/results/. See bench/README.md.
"""

import argparse
import atexit
import datetime
import hashlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import measure  # noqa: E402
import queries as Q  # noqa: E402
import servers as S  # noqa: E402

ROOT = BENCH.parent
DATA = BENCH / "data"
RESULTS = BENCH / "results"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
SERVER_NAMES = ("chipkg", "oxigraph", "rdflib-endpoint")
REFERENCE = "oxigraph"

def _stop_all(keep: tuple = ()) -> None:
    """Stop every server this run launched (except `keep`)."""
    for server in list(S.LAUNCHED):
        if server not in keep:
            server.stop()
            S.LAUNCHED.remove(server)


def _on_signal(signum, _frame):
    raise SystemExit(f"stopped by signal {signum}")


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--sizes", default="10k,100k,1m", help=f"comma list of {', '.join(SIZES)} "
                   "or plain triple counts")
    p.add_argument("--servers", default=",".join(SERVER_NAMES), help="comma list of servers")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--reps", type=int, default=15, help="sequential repetitions per query")
    p.add_argument("--ask-reps", type=int, default=200, help="sequential repetitions of ASK {}")
    p.add_argument("--pair-cap", type=float, default=30.0,
                   help="stop repeating a query on a server after this many seconds "
                        "(at least 3 repetitions)")
    p.add_argument("--clients", type=int, default=8, help="concurrent clients for throughput")
    p.add_argument("--duration", type=float, default=10.0, help="seconds per throughput cell")
    p.add_argument("--throughput-queries", default="a_deals_for_org,ask",
                   help="queries measured at --clients concurrent clients ('ask' = ASK {})")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="per-request timeout (also given to chipkg serve and oxigraph serve)")
    p.add_argument("--startup-timeout", type=float, default=1800.0,
                   help="seconds a server may take to load (and validate) its data")
    p.add_argument("--budget", type=float, default=5400.0,
                   help="total seconds for the run; phases past it are skipped and noted")
    p.add_argument("--rdflib-max", default="100k",
                   help="largest size rdflib-endpoint is run at (it takes minutes per query at 1M)")
    p.add_argument("--workers", type=int, default=2, help="chipkg serve --workers")
    p.add_argument("--chipkg-arg", action="append", default=[],
                   help="extra argument for chipkg serve (repeatable)")
    p.add_argument("--output", type=Path, default=None, help="results file stem "
                   "(default bench/results/<UTC time>)")
    return p.parse_args(argv)


def size_of(label: str) -> int:
    return SIZES.get(label.lower()) or int(label.replace("_", ""))


# ---------------------------------------------------------------- data

def generator_stamp() -> str:
    digest = hashlib.sha256()
    for name in ("synth.py", "synth_text.py"):
        digest.update((ROOT / "chipkg" / name).read_bytes())
    return digest.hexdigest()[:16]


def dataset(label: str, triples: int, seed: int) -> tuple[Path, Path, dict]:
    """The cached synthetic graph and sources folder for a size, made when missing or stale."""
    DATA.mkdir(parents=True, exist_ok=True)
    stem = f"synth-{label}-seed{seed}"
    data, sources, meta_file = DATA / f"{stem}.nq", DATA / f"{stem}-sources", DATA / f"{stem}.json"
    stamp = generator_stamp()
    if meta_file.is_file() and data.is_file():
        meta = json.loads(meta_file.read_text())
        if meta.get("generator") == stamp:
            meta["cached"] = True
            return data, sources, meta
    if sources.exists():
        shutil.rmtree(sources)
    argv = [S.tool("chipkg"), "synth", "--triples", str(triples), "--seed", str(seed),
            "--output", str(data), "--sources-dir", str(sources)]
    began = time.monotonic()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"chipkg synth failed: {done.stderr.strip()}")
    meta = {"generator": stamp, "command": " ".join(["chipkg"] + argv[1:]),
            "seconds": round(time.monotonic() - began, 2), "report": done.stderr.strip(),
            "triples": sum(1 for _ in open(data, "rb")),
            "named_graphs": sum(1 for _ in sources.iterdir())}
    meta_file.write_text(json.dumps(meta, indent=2))
    meta["cached"] = False
    return data, sources, meta


# ---------------------------------------------------------------- one size

class Budget:
    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()


def launcher(name, label, data, sources, args, budget):
    """A function that starts the named server with this size's data (again after a timeout)."""
    logs = RESULTS / "logs" / label

    def start() -> S.Server:
        timeout = max(60.0, min(args.startup_timeout, budget.left()))
        if name == "chipkg":
            return S.start_chipkg(data, sources, logs, args.timeout, timeout, args.chipkg_arg,
                                  args.workers)
        if name == "oxigraph":
            return S.start_oxigraph(data, logs, timeout)
        return S.start_rdflib_endpoint(data, logs, timeout)
    return start


def start_servers(names, label, triples, data, sources, args, budget, result) -> list[S.Server]:
    started = []
    for name in names:
        entry = result["servers"].setdefault(name, {})
        if name == "rdflib-endpoint" and triples > size_of(args.rdflib_max):
            entry["skipped"] = (f"not run above {args.rdflib_max} triples (--rdflib-max): rdflib's "
                                "engine takes minutes per query at 1M triples")
            continue
        if name == "chipkg" and not S.chipkg_serve_available():
            entry["skipped"] = "`chipkg serve` is not available"
            continue
        if budget.left() < 60:
            entry["skipped"] = "time budget exhausted"
            continue
        print(f"[{label}] starting {name} ...", flush=True)
        try:
            server = launcher(name, label, data, sources, args, budget)()
            server.restart = launcher(name, label, data, sources, args, budget)
        except Exception as error:  # a server that does not start is reported, not fatal
            entry["error"] = f"{type(error).__name__}: {error}"
            print(f"[{label}] {name} failed to start: {error}", flush=True)
            _stop_all(keep=tuple(started))   # whatever the failed start left running
            continue
        started.append(server)
        entry.update(startup_s=round(server.startup_seconds, 2), rss_mb=round(server.rss_mb() or 0),
                     command=server.notes[0])
        print(f"[{label}] {name} ready in {server.startup_seconds:.1f} s", flush=True)
    return started


def correctness(started, clients, args, result) -> None:
    """Each query once on each server (also a warm-up): status and rows, compared."""
    for name in list(Q.QUERIES) + ["ask"]:
        graph = Q.is_graph_query(name)
        accept = measure.GRAPH_ACCEPT if graph else measure.SELECT_ACCEPT
        entry = result["queries"].setdefault(name, {"rows": {}, "latency": {}, "errors": {}})
        for server in started:
            try:
                _, status, body = clients[server.name].get(server.query_target(Q.text(name)), accept)
                if status == 200:
                    entry["rows"][server.name] = measure.count_rows(body, graph)
                else:
                    entry["errors"][server.name] = f"HTTP {status}: {body[:200].decode('utf-8', 'replace')}"
            except OSError as error:
                entry["errors"][server.name] = f"no answer within {client_timeout(args):g} s: {error}"
                restart(server, started, clients, args, result)
        answers = set(map(str, entry["rows"].values()))
        entry["agree"] = len(answers) <= 1


def sequential(started, clients, args, budget, result, names, reps, key) -> None:
    """Interleaved repetitions: for each rep, each query, each server (rotating order)."""
    times: dict = {(q, s.name): [] for q in names for s in started}
    spent: dict = {k: 0.0 for k in times}
    dead = {k for k in times if s_err(result, *k)}
    for rep in range(reps):
        if budget.left() < 30:
            result.setdefault("notes", []).append(f"{key}: stopped after {rep} repetitions (time budget)")
            break
        for q in names:
            graph = Q.is_graph_query(q)
            accept = measure.GRAPH_ACCEPT if graph else measure.SELECT_ACCEPT
            turn = rep % len(started)
            for server in started[turn:] + started[:turn]:     # rotating order, current servers
                k = (q, server.name)
                if k in dead or (spent[k] > args.pair_cap and len(times[k]) >= 3):
                    continue
                try:
                    elapsed, status, _ = clients[server.name].get(server.query_target(Q.text(q)), accept)
                except OSError:
                    dead.add(k)
                    message = f"no answer within {client_timeout(args):g} s"
                    result["queries"][q]["errors"][server.name] = message
                    restart(server, started, clients, args, result)
                    continue
                if status != 200:
                    dead.add(k)
                    result["queries"][q]["errors"].setdefault(server.name, f"HTTP {status}")
                    continue
                times[k].append(elapsed)
                spent[k] += elapsed
    for (q, name), values in times.items():
        target = result["ask"] if q == "ask" else result["queries"][q]["latency"]
        target[name] = {**measure.summary(values), "of": reps}


def client_timeout(args) -> float:
    """The client waits a little longer than the servers' own limit, so a server that
    enforces it answers (503) before the client gives up."""
    return args.timeout + 15


def restart(server, started, clients, args, result) -> None:
    """A server whose query timed out may still be working on it: start it afresh, so the
    work it keeps doing does not slow down what is measured next."""
    server.stop()
    if server in S.LAUNCHED:
        S.LAUNCHED.remove(server)
    fresh = server.restart()
    fresh.restart = server.restart
    started[started.index(server)] = fresh
    clients[server.name].close()
    clients[server.name] = measure.Client(fresh, client_timeout(args))
    result["notes"].append(f"{server.name} restarted after a request timed out "
                           f"({fresh.startup_seconds:.1f} s to start again)")


def s_err(result, q, name) -> bool:
    return name in result["queries"].get(q, {}).get("errors", {})


def throughput(started, clients, args, budget, result) -> None:
    for q in [q.strip() for q in args.throughput_queries.split(",") if q.strip()]:
        graph = Q.is_graph_query(q)
        accept = measure.GRAPH_ACCEPT if graph else measure.SELECT_ACCEPT
        cell = result["throughput"].setdefault(q, {})
        for server in list(started):
            if budget.left() < args.duration + 30:
                cell[server.name] = {"skipped": "time budget exhausted"}
                continue
            if s_err(result, q, server.name):
                cell[server.name] = {"skipped": "query failed sequentially"}
                continue
            cell[server.name] = measure.throughput(server, server.query_target(Q.text(q)), accept,
                                                   args.clients, args.duration, client_timeout(args))
            if server.process.poll() is not None:
                cell[server.name]["error"] = f"server died (exit code {server.process.returncode})"
                restart(server, started, clients, args, result)
            print(f"  throughput {q} {server.name}: {cell[server.name].get('requests_per_s')} req/s",
                  flush=True)


def run_size(label: str, args, budget: Budget, names) -> dict:
    triples = size_of(label)
    result = {"label": label, "requested_triples": triples, "servers": {}, "queries": {},
              "ask": {}, "throughput": {}, "notes": []}
    print(f"[{label}] data ...", flush=True)
    data, sources, meta = dataset(label, triples, args.seed)
    result["data"] = {"file": str(data.relative_to(ROOT)), **{k: meta[k] for k in
                      ("triples", "named_graphs", "seconds", "cached", "command") if k in meta}}
    started = start_servers(names, label, triples, data, sources, args, budget, result)
    if not started:
        result["notes"].append("no server started")
        return result
    clients = {s.name: measure.Client(s, client_timeout(args)) for s in started}
    try:
        print(f"[{label}] correctness / warm-up ...", flush=True)
        correctness(started, clients, args, result)
        print(f"[{label}] sequential latency ...", flush=True)
        sequential(started, clients, args, budget, result, list(Q.QUERIES), args.reps, "queries")
        print(f"[{label}] ASK {{}} overhead ...", flush=True)
        sequential(started, clients, args, budget, result, ["ask"], args.ask_reps, "ask")
        print(f"[{label}] throughput at {args.clients} clients ...", flush=True)
        throughput(started, clients, args, budget, result)
        for server in started:
            result["servers"][server.name]["rss_mb_after"] = round(server.rss_mb() or 0)
    finally:
        for client in clients.values():
            client.close()
        _stop_all()
    return result


# ---------------------------------------------------------------- report

def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    memory = next((int(line.split()[1]) // 1024 for line in
                   Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), 0)

    def version(package):
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "absent"

    oxigraph_cli = S.tool("oxigraph")
    ox_version = subprocess.run([oxigraph_cli, "--version"], capture_output=True, text=True).stdout.strip() \
        if oxigraph_cli else "absent"
    return {"nproc": os.cpu_count(), "usable_cpus": len(os.sched_getaffinity(0)), "cpu": model,
            "memory_mb": memory, "python": platform.python_version(), "os": platform.platform(),
            "chipkg": version("chipkg"), "pyoxigraph": version("pyoxigraph"),
            "oxigraph_cli": ox_version, "rdflib": version("rdflib"),
            "rdflib_endpoint": version("rdflib-endpoint"),
            "throughput_client": "wrk" if shutil.which("wrk") else "python threads (http.client)"}


def _fmt(value, digits=1) -> str:
    if value is None:
        return "–"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.{max(digits, 2)}f}"


def _ratio(a, b) -> str:
    if not a or not b:
        return "–"
    r = a / b
    if r < 0.1:
        return f"{r:.3f}×"
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×"


def render(report: dict) -> str:
    m = report["machine"]
    lines = [f"# chipkg benchmark, {report['started']}", "",
             f"Command: `{report['command']}`", "",
             f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_mb'] // 1024} GB RAM, "
             f"Python {m['python']}, {m['os']}. chipkg {m['chipkg']}, pyoxigraph {m['pyoxigraph']}, "
             f"{m['oxigraph_cli']}, rdflib {m['rdflib']}, rdflib-endpoint {m['rdflib_endpoint']}. "
             f"Throughput client: {m['throughput_client']}.", "",
             "Latencies are client-side wall times of one HTTP GET (body read to the end), "
             "sequential on one keep-alive connection, servers interleaved; median and p95 (nearest "
             "rank) in ms over n repetitions. SELECT/ASK as SPARQL JSON, CONSTRUCT/DESCRIBE as "
             "N-Triples. `÷ oxigraph` is the median ratio to in-memory `oxigraph serve` "
             "(lower is better; issue target for chipkg ≤ 1.2×); `rdflib-ep ÷` is how many times "
             "slower rdflib-endpoint is (target for chipkg ≥ 30×).", ""]
    for size in report["sizes"]:
        lines += render_size(size)
    lines += ["", f"Total run time: {report['seconds']:.0f} s."]
    return "\n".join(lines) + "\n"


def render_size(r: dict) -> list[str]:
    names = [n for n in SERVER_NAMES if r["servers"].get(n, {}).get("startup_s") is not None]
    d = r.get("data", {})
    made = "cached" if d.get("cached") else f"generated in {d.get('seconds')} s"
    out = [f"## {r['label']}: {d.get('triples', '?'):,} triples, {d.get('named_graphs', '?')} "
           f"named graphs ({made})", ""]
    out += ["| server | start + load s | RSS MB after load | RSS MB at end | note |", "|---|---|---|---|---|"]
    for name in SERVER_NAMES:
        s = r["servers"].get(name, {})
        note = s.get("skipped") or s.get("error") or s.get("command", "")
        out.append(f"| {name} | {s.get('startup_s', '–')} | {s.get('rss_mb', '–')} | "
                   f"{s.get('rss_mb_after', '–')} | {note} |")
    main = "chipkg" if "chipkg" in names else (names[0] if names else None)
    head = "| query | rows | " + " | ".join(f"{n} med / p95 ms (n)" for n in names)
    head += f" | {main} ÷ oxigraph | rdflib-ep ÷ {main} |"
    out += ["", head, "|" + "---|" * (len(names) + 4)]
    for q, e in r["queries"].items():
        if q == "ask":
            continue
        rows = e["rows"].get(main, next(iter(e["rows"].values()), "–"))
        if not e.get("agree", True):
            rows = "; ".join(f"{n} {v}" for n, v in e["rows"].items()) + " (DIFFER)"
        cells = []
        for n in names:
            lat = e["latency"].get(n, {})
            if n in e["errors"]:
                cells.append(f"**{e['errors'][n][:60]}**")
            elif lat.get("n"):
                cells.append(f"{_fmt(lat['median_ms'])} / {_fmt(lat['p95_ms'])} ({lat['n']})")
            else:
                cells.append("–")
        med = {n: e["latency"].get(n, {}).get("median_ms") for n in names}
        out.append(f"| {q} | {rows} | " + " | ".join(cells) +
                   f" | {_ratio(med.get(main), med.get('oxigraph')) if main != 'oxigraph' else '1×'}"
                   f" | {_ratio(med.get('rdflib-endpoint'), med.get(main))} |")
    out += ["", "| ASK {} (trivial request) | " + " | ".join(names) + " |",
            "|---|" + "---|" * len(names)]
    out.append("| median / p95 ms (n) | " + " | ".join(
        f"{_fmt(r['ask'].get(n, {}).get('median_ms'), 2)} / {_fmt(r['ask'].get(n, {}).get('p95_ms'), 2)} "
        f"({r['ask'].get(n, {}).get('n', 0)})" for n in names) + " |")
    if r["throughput"]:
        out += ["", "| throughput at 8 clients | server | req/s | p50 ms | p99 ms | non-2xx / errors | "
                    "req/s ÷ oxigraph |", "|---|---|---|---|---|---|---|"]
        for q, cell in r["throughput"].items():
            base = cell.get("oxigraph", {}).get("requests_per_s")
            for n in names:
                t = cell.get(n, {})
                if "skipped" in t or "error" in t:
                    out.append(f"| {q} | {n} | {t.get('skipped') or t.get('error', '')[:80]} | | | | |")
                    continue
                out.append(f"| {q} | {n} | {_fmt(t.get('requests_per_s'))} | {_fmt(t.get('p50_ms'))} | "
                           f"{_fmt(t.get('p99_ms'))} | {t.get('non_2xx', 0)} / {t.get('socket_errors', 0)} | "
                           f"{_ratio(t.get('requests_per_s'), base)} |")
    if "chipkg" in names:
        out += ["", "Targets (issue 3, §9) for chipkg at this size:", ""] + [f"- {t}" for t in targets(r)]
    for note in r.get("notes", []):
        out.append(f"- note: {note}")
    out.append("")
    return out


def targets(r: dict) -> list[str]:
    found = []
    worst = None
    for q, e in r["queries"].items():
        c, o = (e["latency"].get(n, {}).get("median_ms") for n in ("chipkg", "oxigraph"))
        if c and o and (worst is None or c / o > worst[1]):
            worst = (q, c / o)
    if worst:
        found.append(f"{'PASS' if worst[1] <= 1.2 else 'FAIL'} each query median ≤ 1.2× oxigraph serve "
                     f"(worst {worst[0]}: {worst[1]:.2f}×)")
    for q, cell in r["throughput"].items():
        c, o = cell.get("chipkg", {}).get("requests_per_s"), cell.get("oxigraph", {}).get("requests_per_s")
        if c and o:
            found.append(f"{'PASS' if c >= o else 'FAIL'} throughput at 8 clients ≥ oxigraph serve on "
                         f"{q} ({_fmt(c)} vs {_fmt(o)} req/s)")
    slowest = None
    for q, e in r["queries"].items():
        c, s = (e["latency"].get(n, {}).get("median_ms") for n in ("chipkg", "rdflib-endpoint"))
        if c and s and (slowest is None or s / c < slowest[1]):
            slowest = (q, s / c)
    if slowest:
        found.append(f"{'PASS' if slowest[1] >= 30 else 'FAIL'} ≥ 30× faster than rdflib-endpoint "
                     f"(least {slowest[0]}: {slowest[1]:.1f}×)")
    ask = r["ask"].get("chipkg", {}).get("median_ms")
    if ask is not None:
        found.append(f"{'PASS' if ask < 1 else 'FAIL'} < 1 ms per trivial request (ASK {{}} median "
                     f"{ask:.2f} ms, client-side round trip)")
    return found or ["not measured"]


def main(argv=None) -> int:
    args = parse_args(argv)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, _on_signal)
    atexit.register(_stop_all)
    began = time.monotonic()
    budget = Budget(args.budget)
    names = [n.strip() for n in args.servers.split(",") if n.strip()]
    unknown = set(names) - set(SERVER_NAMES)
    if unknown:
        raise SystemExit(f"unknown server(s): {', '.join(sorted(unknown))}")
    started_at = datetime.datetime.now(datetime.timezone.utc)
    report = {"started": started_at.strftime("%Y-%m-%d %H:%M UTC"),
              "command": "python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv),
              "machine": machine(), "args": {k: str(v) for k, v in vars(args).items()}, "sizes": []}
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = args.output or RESULTS / started_at.strftime("%Y%m%dT%H%M%SZ")
    try:
        for label in [s.strip() for s in args.sizes.split(",") if s.strip()]:
            if budget.left() < 60:
                report["sizes"].append({"label": label, "servers": {}, "queries": {}, "ask": {},
                                        "throughput": {}, "notes": ["skipped: time budget exhausted"]})
                continue
            report["sizes"].append(run_size(label, args, budget, names))
            report["seconds"] = time.monotonic() - began
            _save(report, stem)          # keep what is done even if a later size fails
    finally:
        _stop_all()
        report["seconds"] = time.monotonic() - began
        _save(report, stem)
    print(render(report))
    print(f"saved {stem}.md and {stem}.json")
    return 0


def _save(report: dict, stem: Path) -> None:
    Path(f"{stem}.json").write_text(json.dumps(report, indent=2, default=str))
    Path(f"{stem}.md").write_text(render(report))


if __name__ == "__main__":
    sys.exit(main())
