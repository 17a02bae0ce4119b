"""Benchmark of issue 8: evidence views at 1M triples, and add-source + compile speed.

Not a test. Run from the repository:

    .venv/bin/python bench/evidence.py                 # 1M triples, seed 7
    .venv/bin/python bench/evidence.py --triples 100000 --reps 5

1. Views. `chipkg synth --triples N --seed 7` data (cached in bench/data/) is
   loaded into the app (no validation: the benchmark measures queries), and each
   researcher query of bench/queries.py runs through the Flask test client
   unfiltered, with `min-evidence=REP`, with `as-of=2025-06-30`, and with both.
   A view is built on its first request (timed apart, "build"); the medians of
   the following repetitions are compared with the unfiltered query's, measured
   in the same run, and the ratios printed. Target: at most 1.5x.
2. add-source + compile of a 50 KB fictional document with 100 quotes, in
   process, timed end to end with and without SHACL validation. Target: < 1 s.
"""

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from queries import PROLOGUE, QUERIES  # noqa: E402

VIEWS = {"min-evidence=REP": {"min-evidence": "REP"}, "as-of=2025-06-30": {"as-of": "2025-06-30"},
         "both": {"as-of": "2025-06-30", "min-evidence": "REP"}}


def synth_data(triples: int, seed: int) -> Path:
    path = ROOT / "bench" / "data" / f"synth-{triples}-seed{seed}.nq"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(Path(sys.executable).with_name("chipkg")), "synth", "--triples", str(triples), "--seed",
                        str(seed), "--output", str(path)], check=True)
    return path


def timed(call) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def bench_views(triples: int, seed: int, reps: int) -> list[dict]:
    from chipkg.rdfio import read_quads
    from chipkg.server import create_app
    from chipkg.server.config import DEFAULTS
    from chipkg.server.dataset import dataset_of
    from chipkg.project import Layout
    from chipkg.store import store_of

    data = synth_data(triples, seed)
    began = time.perf_counter()
    store = store_of(read_quads(Layout().ontology_files + [data]))
    app = create_app({**DEFAULTS, "INCLUDE_SHIPPED_GRAPH": False, "DATA_FILES": [str(data)],
                      "LOG_REQUESTS": False, "MAX_RESULT_ROWS": 100_000}, dataset_of(store))
    print(f"loaded {len(store)} quads in {time.perf_counter() - began:.1f} s")
    client = app.test_client()

    def run(name, view):
        response = client.get("/sparql", query_string={"query": PROLOGUE + QUERIES[name], "format": "json", **view})
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        return response

    rows = []
    for name in ("a_deals_for_org", "b_foundry_by_level", "c_chips_unconfirmed", "e_quote_contains"):
        if name not in QUERIES:
            continue
        run(name, {})                                            # warm-up
        for label, view in VIEWS.items():
            build = timed(lambda: run(name, view))               # builds the view once (cached after)
            # Interleaved, so a change in machine load hits both sides alike.
            pairs = [(timed(lambda: run(name, {})), timed(lambda: run(name, view))) for _ in range(reps)]
            base = statistics.median(p[0] for p in pairs)
            median = statistics.median(p[1] for p in pairs)
            rows.append({"query": name, "view": label, "unfiltered_ms": round(base * 1000, 1),
                         "view_ms": round(median * 1000, 1), "ratio": round(median / base, 2),
                         "first_request_s": round(build, 2)})
            print(f"{name:<22} {label:<18} unfiltered {base * 1000:8.1f} ms  view {median * 1000:8.1f} ms  "
                  f"ratio {median / base:5.2f}  first request {build:6.2f} s", flush=True)
    served = app.extensions["chipkg"].ready()
    for graph, phases in served.views.get("builds", {}).items():
        print(f"view build {graph}: {phases}")
    return rows


def fictional_document(size: int, quotes: int, rng: random.Random) -> tuple[str, list[str]]:
    firms = ["Orion Labs", "Zephyr Foundry", "Quillmark Memory", "Bellhaven Compute", "Northwind Silicon"]
    verbs = ["reportedly signed", "announced", "may be exploring", "denied", "disclosed"]
    sentences, n = [], 0
    while sum(len(s) + 1 for s in sentences) < size:
        n += 1
        a, b = rng.sample(firms, 2)
        sentences.append(f"In fictional item {n}, {a} {rng.choice(verbs)} a wafer agreement with {b} worth "
                         f"{rng.randrange(1, 900)} million.")
    text = "\n".join(sentences) + "\n"
    return text, rng.sample(sentences, quotes)


def bench_compile(quotes: int = 100, size: int = 50_000) -> dict:
    from click.testing import CliRunner
    from chipkg.cli import cli

    rng = random.Random(7)
    text, chosen = fictional_document(size, quotes, rng)
    work = Path(tempfile.mkdtemp(prefix="chipkg-bench-"))
    try:
        doc = work / "fictional-50kb.txt"
        doc.write_text(text)
        runner = CliRunner()
        began = time.perf_counter()
        result = runner.invoke(cli, ["add-source", str(doc), "--title", "A fictional 50 KB document",
                                     "--date", "2026-05", "--sources", str(work / "src"),
                                     "--claims-dir", str(work / "claims")])
        add = time.perf_counter() - began
        assert result.exit_code == 0, result.output
        claims = work / "claims" / "fictional-50kb.yaml"
        body = claims.read_text().replace("claims: {}\n", "claims:\n" + "".join(
            f"  item-{i}:\n    text: {json.dumps(q)}\n    about: [orion-labs]\n    level: REP\n"
            f"    confidence: 0.7\n    quotes:\n      - {json.dumps(q)}\n" for i, q in enumerate(chosen)))
        claims.write_text(body)
        timings = {"add_source_s": round(add, 3), "document_bytes": len(text.encode()), "quotes": quotes}
        compile_args = ["compile", str(claims), "--sources", str(work / "src"), "--output-dir", str(work / "kg")]
        for label, extra in (("compile_no_validate_s", ["--no-validate"]), ("compile_validated_s", []),
                             ("compile_no_validate_warm_s", ["--no-validate"])):
            shutil.rmtree(work / "kg", ignore_errors=True)
            began = time.perf_counter()
            result = runner.invoke(cli, compile_args + extra)
            timings[label] = round(time.perf_counter() - began, 3)
            assert result.exit_code == 0, result.output
        # As a user runs them: fresh processes, Python start-up and imports included.
        chipkg = [str(Path(sys.executable).with_name("chipkg"))]
        shutil.rmtree(work / "kg")
        began = time.perf_counter()
        subprocess.run(chipkg + ["add-source", str(doc), "--sources", str(work / "src2"),
                                 "--claims-dir", str(work / "claims2")], check=True, capture_output=True)
        timings["add_source_process_s"] = round(time.perf_counter() - began, 3)
        began = time.perf_counter()
        subprocess.run(chipkg + compile_args + ["--no-validate"], check=True, capture_output=True)
        timings["compile_no_validate_process_s"] = round(time.perf_counter() - began, 3)
        print(json.dumps(timings))
        return timings
    finally:
        shutil.rmtree(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--skip-views", action="store_true")
    args = parser.parse_args()
    result = {"compile": bench_compile()}
    if not args.skip_views:
        result["views"] = bench_views(args.triples, args.seed, args.reps)
        worst = max(r["ratio"] for r in result["views"])
        print(f"worst view/unfiltered ratio: {worst:.2f} (target 1.5): {'PASS' if worst <= 1.5 else 'FAIL'}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"evidence-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
