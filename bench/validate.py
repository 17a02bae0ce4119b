"""Benchmark of validation and start-up (issue 9): chipkg against pySHACL and a bare store.

At each size (default 10k, 100k, 1M synthetic triples, `chipkg synth --seed 7`):

* `chipkg validate` wall time and peak RSS, default engine, cache off; the same with a
  warm cache; and with `--engine pyshacl` (the reference) up to `--pyshacl-max` (100k by
  default: at 1M pySHACL takes minutes);
* `chipkg serve` start-up until /-/health answers, cold (validation, no cache) and with a
  cached result, and its resident memory once serving (the master, which holds the store;
  workers fork from it and share its pages), against a bare pyoxigraph Store holding the
  same files;
* with `--compare`, the SHACL results of both engines on the graph with every kind of
  damage of tests/validate/damage.py, up to `--pyshacl-max`: "identical" or the difference.

Every number is measured in this run; the table prints ratios. Nothing here asserts a time.

    python bench/validate.py                      # 10k,100k,1m; pySHACL up to 100k
    python bench/validate.py --sizes 1m --pyshacl-max 1m --compare
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests" / "validate"))

from servers import start_chipkg, tool  # noqa: E402

SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
BARE = """
import sys, time, pyoxigraph as ox
began = time.perf_counter()
store = ox.Store()
for path in sys.argv[1:]:
    store.bulk_load(path=path, format=ox.RdfFormat.from_extension(path.rsplit(".", 1)[1]))
seconds = time.perf_counter() - began
rss = [l for l in open("/proc/self/status") if l.startswith("VmRSS:")][0].split()[1]
print(len(store), seconds, int(rss) / 1024)
"""


def size_of(text: str) -> int:
    return SIZES.get(text.lower()) or int(text)


def timed(argv: list[str], env: dict | None = None) -> tuple[float, float, int, str]:
    """(wall s, peak RSS MB, exit code, stdout) of one command, peak from wait4's rusage."""
    began = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               env={**os.environ, **(env or {})})
    out = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - began, usage.ru_maxrss / 1024, process.returncode, out


def data_for(size: str, folder: Path) -> tuple[Path, Path]:
    data, sources = folder / f"validate-{size}-seed7.nq", folder / f"validate-{size}-seed7-sources"
    if not data.is_file():
        subprocess.run([tool("chipkg"), "synth", "--triples", str(size_of(size)), "--seed", "7",
                        "--output", str(data), "--sources-dir", str(sources)], check=True,
                       stdout=subprocess.DEVNULL)
    return data, sources


def master_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def serve_start(data: Path, sources: Path, logs: Path, cached: bool) -> tuple[float, float, float]:
    """(seconds until answering, master RSS MB, RSS MB of master + workers)."""
    extra = [] if cached else ["--no-cache"]
    server = start_chipkg(data, sources, logs, 60, 600, extra, workers=1)
    try:
        time.sleep(1.0)                 # let the worker settle before reading memory
        return server.startup_seconds, master_rss_mb(server.process.pid), server.rss_mb()
    finally:
        server.stop()


def _normalised(problem: dict) -> str:
    # blank-node labels are each engine's own
    return json.dumps({k: re.sub(r"_:\S+", "_:b", v) if isinstance(v, str) else v
                       for k, v in problem.items()}, sort_keys=True)


def compare(data: Path, scratch: Path) -> str:
    """Both engines on the damaged graph: 'identical (N results)' or what differs."""
    import pyoxigraph as ox
    from damage import damage
    store = ox.Store()
    store.bulk_load(path=data, format=ox.RdfFormat.N_QUADS)
    damage(store)
    damaged = scratch / f"damaged-{data.stem}.nq"
    store.dump(damaged, ox.RdfFormat.N_QUADS)
    del store
    found = {}
    for engine in ("shacl", "pyshacl"):
        _, _, _, out = timed([tool("chipkg"), "validate", str(damaged), "--skip-quotes",
                              "--no-cache", "--engine", engine, "--format", "json"])
        found[engine] = Counter(map(_normalised, json.loads(out)["problems"]))
    # pySHACL's known departure from SPARQL 1.1: a band row for a string confidence
    wrong = Counter(k for k in found["pyshacl"].elements()
                    if '"cksh:ConfidenceInBandShape"' in k and '^^xsd:string"' in k)
    reference = found["pyshacl"] - wrong
    if found["shacl"] == reference:
        return (f"identical ({sum(reference.values())} results; pySHACL adds "
                f"{sum(wrong.values())} string-confidence band row(s))")
    return (f"DIFFER: only shacl {sum((found['shacl'] - reference).values())}, "
            f"only pySHACL {sum((reference - found['shacl']).values())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1m")
    parser.add_argument("--pyshacl-max", default="100k", help="largest size pySHACL runs at")
    parser.add_argument("--compare", action="store_true", help="compare both engines on damaged data")
    parser.add_argument("--data-dir", type=Path, default=HERE / "data")
    args = parser.parse_args()
    sizes = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    args.data_dir.mkdir(parents=True, exist_ok=True)
    chipkg = tool("chipkg")
    rows = []
    with tempfile.TemporaryDirectory(prefix="chipkg-bench-") as scratch:
        scratch = Path(scratch)
        os.environ["CHIPKG_CACHE_DIR"] = str(scratch / "cache")
        load = os.getloadavg()[0]
        for size in sizes:
            data, sources = data_for(size, args.data_dir)
            row = {"size": size, "load_before": round(os.getloadavg()[0], 2)}
            base = [chipkg, "validate", str(data), "--sources", str(sources)]
            row["chipkg_s"], row["chipkg_mb"], code, _ = timed(base + ["--no-cache"])
            assert code == 0, f"chipkg validate exited {code} at {size}"
            timed(base)                                             # fills the cache
            row["cached_s"], _, _, _ = timed(base)
            if size_of(size) <= size_of(args.pyshacl_max):
                row["pyshacl_s"], row["pyshacl_mb"], _, _ = timed(base + ["--no-cache", "--engine", "pyshacl"])
                if args.compare:
                    row["compare"] = compare(data, scratch)
            ontology = sorted(str(p) for p in (ROOT / "ontology").glob("*.ttl"))
            _, _, _, out = timed([sys.executable, "-c", BARE, *ontology, str(data)])
            _, row["bare_load_s"], row["bare_mb"] = map(float, out.split())
            logs = scratch / "logs"
            row["serve_cold_s"], row["serve_mb"], row["serve_total_mb"] = serve_start(
                data, sources, logs, cached=False)
            row["serve_cached_s"], _, _ = serve_start(data, sources, logs, cached=True)
            row["load_after"] = round(os.getloadavg()[0], 2)
            rows.append(row)
            print(json.dumps(row), flush=True)
    print(table(rows, load))


def table(rows: list[dict], load: float) -> str:
    def num(value, digits=1):
        return "—" if value is None else f"{value:.{digits}f}"

    lines = [f"load average at start: {load:.2f} (2 cores; 1.0 = one busy core)", "",
             "| size | chipkg validate s | peak MB | cached s | pySHACL s | pySHACL ÷ chipkg | "
             "serve cold s | serve cached s | serve RSS MB | bare store MB | RSS ratio | load |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        speedup = r.get("pyshacl_s") and r["pyshacl_s"] / r["chipkg_s"]
        lines.append(
            f"| {r['size']} | {num(r['chipkg_s'])} | {num(r['chipkg_mb'], 0)} | {num(r['cached_s'])} | "
            f"{num(r.get('pyshacl_s'))} | {num(speedup)}× | {num(r['serve_cold_s'])} | "
            f"{num(r['serve_cached_s'])} | {num(r['serve_mb'], 0)} | {num(r['bare_mb'], 0)} | "
            f"{num(r['serve_mb'] / r['bare_mb'], 2)}× | {r['load_before']}→{r['load_after']} |")
    compared = [f"* {r['size']}: {r['compare']}" for r in rows if r.get("compare")]
    if compared:
        lines += ["", "Damaged graph, shacl against pySHACL:"] + compared
    return "\n".join(lines)


if __name__ == "__main__":
    main()
