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
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import measure  # noqa: E402
import phases  # noqa: E402
import queries as Q  # noqa: E402
import report as R  # noqa: E402
import servers as S  # noqa: E402
from servers import SERVER_NAMES  # noqa: E402

ROOT = BENCH.parent
DATA = BENCH / "data"
RESULTS = BENCH / "results"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}


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
    """A hash of the generator's code: chipkg/synth/*.py and the namespaces they write."""
    digest = hashlib.sha256()
    package = ROOT / "chipkg"
    for path in sorted((package / "synth").glob("*.py")) + [package / "namespaces.py"]:
        digest.update(path.read_bytes())
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
    clients = {s.name: measure.Client(s, phases.client_timeout(args)) for s in started}
    try:
        print(f"[{label}] correctness / warm-up ...", flush=True)
        phases.correctness(started, clients, args, result)
        print(f"[{label}] sequential latency ...", flush=True)
        phases.sequential(started, clients, args, budget, result, list(Q.QUERIES), args.reps, "queries")
        print(f"[{label}] ASK {{}} overhead ...", flush=True)
        phases.sequential(started, clients, args, budget, result, ["ask"], args.ask_reps, "ask")
        print(f"[{label}] throughput at {args.clients} clients ...", flush=True)
        phases.throughput(started, clients, args, budget, result)
        for server in started:
            result["servers"][server.name]["rss_mb_after"] = round(server.rss_mb() or 0)
    finally:
        for client in clients.values():
            client.close()
        _stop_all()
    return result



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
              "machine": R.machine(), "args": {k: str(v) for k, v in vars(args).items()}, "sizes": []}
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
    print(R.render(report))
    print(f"saved {stem}.md and {stem}.json")
    return 0


def _save(report: dict, stem: Path) -> None:
    Path(f"{stem}.json").write_text(json.dumps(report, indent=2, default=str))
    Path(f"{stem}.md").write_text(R.render(report))


if __name__ == "__main__":
    sys.exit(main())