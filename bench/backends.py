#!/usr/bin/env python3
"""chipkg over its three backends: the embedded store, `oxigraph serve` and Virtuoso 7.

For each size: the synthetic graph (`run.dataset`, cached), then
* embedded: `chipkg serve --data FILE --no-default-graph` (load = validation + load,
  until /-/health answers);
* oxigraph / virtuoso: the store started empty (on-disk, temp folder), `chipkg push`
  (load = validation + GSP upload + count checks), then `chipkg serve --backend`
  (start-up = counting the dataset in the store);
then every stored query (`queries/*.rq`, default parameters) through /queries/<name>,
`--reps` rounds interleaved across the three, median and p95; resident memory of
each chipkg server plus its store. One table with ratios to embedded, printed and
saved under bench/results/backends-<UTC>.md. The store launchers are the test suite's
(tests/server/stores.py), so the bench runs the stores exactly as the tests do.

    python bench/backends.py --sizes 10k,100k       # about 5-10 minutes on 2 cores
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT / "tests" / "server")]

import measure  # noqa: E402
import run  # noqa: E402
import servers as S  # noqa: E402
import stores as T  # noqa: E402  (tests/server/stores.py)

from chipkg.queries import stored_queries  # noqa: E402

BACKENDS = ("embedded", "oxigraph", "virtuoso")


def rss_mb(pid: int) -> float:
    probe = S.Server("x", "/", 0)
    probe.process = type("P", (), {"pid": pid})()
    return probe.rss_mb() or 0.0


def chipkg_serve(argv_tail: list[str], log: Path, env: dict, timeout: float) -> tuple[S.Server, float]:
    server = S.Server("chipkg", "/sparql", S.free_port())
    argv = [S.tool("chipkg"), "serve", "--port", str(server.port), "--workers", "1",
            "--timeout", "60", *argv_tail]
    began = time.monotonic()
    S._launch(server, argv, log, env)
    S._wait_until(server, "/-/health", began + timeout)
    return server, time.monotonic() - began


def one_size(label: str, args, folder: Path) -> dict:
    triples = run.size_of(label)
    data, sources, meta = run.dataset(label, triples, args.seed)
    env = {"CHIPKG_SOURCES": str(sources)}
    rows: dict[str, dict] = {}
    started: list = []
    try:
        for kind in args.backends:
            row = rows.setdefault(kind, {})
            if kind == "embedded":
                server, seconds = chipkg_serve(["--data", str(data), "--no-default-graph"],
                                               folder / f"{label}-embedded.log", env, args.startup_timeout)
                started.append(server)
                row.update(load_s=seconds, startup_s=seconds, rss_mb=server.rss_mb(), server=server)
                continue
            store_folder = folder / f"{label}-{kind}"
            store_folder.mkdir()
            store = (T.start_oxigraph(store_folder, timeout_s=60) if kind == "oxigraph"
                     else T.start_virtuoso(store_folder, buffers=args.virtuoso_buffers))
            started.append(store)
            began = time.monotonic()
            done = subprocess.run([S.tool("chipkg"), "push", "--store", store.gsp_url, "--data", str(data),
                                   "--no-default-graph", "--sources", str(sources)],
                                  capture_output=True, text=True, env={**os.environ, **store.environ},
                                  timeout=args.startup_timeout)
            row["load_s"] = time.monotonic() - began
            if done.returncode != 0:
                row["error"] = f"push failed: {done.stderr.strip()[-300:]}"
                continue
            server, seconds = chipkg_serve(["--backend", store.query_url], folder / f"{label}-{kind}.log",
                                           env, args.startup_timeout)
            started.append(server)
            row.update(startup_s=seconds, server=server,
                       rss_mb=(server.rss_mb() or 0) + rss_mb(store.process.pid),
                       store_rss_mb=rss_mb(store.process.pid))
        queries = sorted(stored_queries(ROOT / "queries"))
        times = {(k, q): [] for k in rows for q in queries}
        clients = {k: measure.Client(r["server"], 120) for k, r in rows.items() if "server" in r}
        for _ in range(args.reps):
            for q in queries:
                for kind, client in clients.items():
                    seconds, status, _ = client.get(f"/queries/{q}", "application/sparql-results+json")
                    if status == 200:
                        times[kind, q].append(seconds)
        for kind, row in rows.items():
            row.pop("server", None)
            row["queries"] = {q: measure.summary(times[kind, q]) if times[kind, q] else None for q in queries}
    finally:
        for thing in reversed(started):
            thing.stop()
    return {"size": label, "triples": meta.get("triples"), "rows": rows}


def _ms(summary) -> str:
    return "—" if not summary else f"{summary['median_ms']:.1f} / {summary['p95_ms']:.1f}"


def render(results: list[dict]) -> str:
    lines = [f"# chipkg backends: embedded vs oxigraph serve vs Virtuoso ({datetime.date.today()})", "",
             "load = until the data is servable (embedded: serve start-up; stores: `chipkg push`, both "
             "with validation); start-up = `chipkg serve` until /-/health (stores: `--backend`); memory "
             "= chipkg serve + the store, resident; queries: /queries/<name>, median / p95 ms; "
             "(×N) = ratio to embedded.", ""]
    for result in results:
        rows = result["rows"]
        base = rows.get("embedded", {})
        lines += [f"## {result['size']} ({result['triples']} triples)", "",
                  "| | " + " | ".join(rows) + " |", "|---|" + "---|" * len(rows)]

        def cell(kind, value, unit, key):
            ref = base.get(key) if key else None
            ratio = f" (×{value / ref:.2f})" if ref and value and kind != "embedded" else ""
            return f"{value:.1f}{unit}{ratio}" if isinstance(value, (int, float)) else "—"

        for key, title, unit in (("load_s", "load", " s"), ("startup_s", "start-up", " s"),
                                 ("rss_mb", "memory", " MB")):
            lines.append(f"| {title} | " + " | ".join(cell(k, r.get(key), unit, key) for k, r in rows.items())
                         + " |")
        names = sorted({q for r in rows.values() for q in (r.get("queries") or {})})
        for q in names:
            out = []
            for kind, r in rows.items():
                s = (r.get("queries") or {}).get(q)
                ref = (base.get("queries") or {}).get(q)
                ratio = f" (×{s['median_ms'] / ref['median_ms']:.1f})" if s and ref and kind != "embedded" else ""
                out.append(_ms(s) + ratio)
            lines.append(f"| `{q}` | " + " | ".join(out) + " |")
        errors = [f"{k}: {r['error']}" for k, r in rows.items() if r.get("error")]
        lines += [""] + [f"* {e}" for e in errors] + [""]
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="10k,100k,1m")
    p.add_argument("--backends", default=",".join(BACKENDS))
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--reps", type=int, default=10)
    p.add_argument("--startup-timeout", type=float, default=1800.0)
    p.add_argument("--virtuoso-buffers", type=int, default=60000, help="NumberOfBuffers (8 KB each)")
    args = p.parse_args(argv)
    args.backends = [b for b in BACKENDS if b in args.backends.split(",")]
    results = []
    with tempfile.TemporaryDirectory(prefix="chipkg-bench-stores-") as tmp:
        for label in args.sizes.split(","):
            results.append(one_size(label, args, Path(tmp)))
            print(render(results[-1:]), flush=True)
    text = render(results)
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    stem = out / ("backends-" + datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ"))
    stem.with_suffix(".md").write_text(text)
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2, default=str))
    print(f"saved {stem}.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
