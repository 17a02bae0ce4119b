#!/usr/bin/env python3
"""Entity-page latency at 1M synthetic triples, against the bare engine in the same run.

Not a test. For a seeded random sample of entities of each kind (organization,
chip, deal, claim, source, person) plus the organization with the most claims,
it times the whole entity page (HTML, through the Flask app in process, every
check on) and, interleaved with it, the bare baseline: the same queries the page
ran (taken from the page's own `format=json`, VALUES blocks included), sent
straight to `pyoxigraph.Store.query` and read to the end. Also the Turtle
dereference against the bare CONSTRUCT serialised by pyoxigraph. Prints the
medians, p95 and the ratios, and saves them under bench/results/pages-<time>.md.

    python bench/pages.py                       # 1M triples, seed 7 (chipkg synth --triples 1000000 --seed 7)
    python bench/pages.py --triples 100000 --reps 10

The data is loaded into pyoxigraph without SHACL validation: pages are measured
here, not start-up (bench/run.py measures `chipkg serve` start-up on the same data).
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import measure  # noqa: E402
from run import dataset  # noqa: E402

from chipkg.project import Layout  # noqa: E402
from chipkg.server import create_app  # noqa: E402
from chipkg.server.dataset import dataset_of  # noqa: E402
from chipkg.server.linked.queries import PROLOGUE, QUERIES, bind  # noqa: E402

KINDS = {"organization": "https://w3id.org/chipkg/ontology#Company",
         "chip": "https://w3id.org/chipkg/ontology#Chip",
         "deal": "https://w3id.org/chipkg/ontology#Deal",
         "claim": "https://w3id.org/chipkg/ontology#Claim",
         "source": "https://w3id.org/chipkg/ontology#SourceDocument",
         "person": "https://schema.org/Person"}
BASE = "https://w3id.org/chipkg/id/"
TARGET_MS = 100.0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-kind", type=int, default=5, help="entities sampled per kind")
    parser.add_argument("--reps", type=int, default=15, help="timed repetitions per entity")
    parser.add_argument("--budget", type=float, default=900, help="seconds; entities past it are skipped")
    return parser.parse_args(argv)


def load(data: Path) -> ox.Store:
    store = ox.Store()
    for path in Layout().ontology_files:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    return store


def sample(store: ox.Store, per_kind: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    chosen = []
    for kind, cls in KINDS.items():
        iris = sorted(r[0].value for r in store.query(f"SELECT ?s WHERE {{ ?s a <{cls}> }}",
                                                      use_default_graph_as_union=True)
                      if r[0].value.startswith(BASE))
        chosen += [(kind, iri) for iri in rng.sample(iris, min(per_kind, len(iris)))]
    top = next(iter(store.query(
        f"SELECT ?o (COUNT(?c) AS ?n) WHERE {{ ?c <https://schema.org/about> ?o . ?o a <{KINDS['organization']}> }} "
        "GROUP BY ?o ORDER BY DESC(?n) LIMIT 1", use_default_graph_as_union=True)))
    chosen.append(("busiest organization", top[0].value))
    return chosen


def bare(store: ox.Store, texts: list[str]) -> float:
    began = time.perf_counter()
    for text in texts:
        for _ in store.query(PROLOGUE + text, use_default_graph_as_union=True):
            pass
    return time.perf_counter() - began


def bare_turtle(store: ox.Store, iri: str) -> float:
    began = time.perf_counter()
    text = PROLOGUE + bind(QUERIES["description"], {"e": ox.NamedNode(iri)})
    ox.serialize(store.query(text, use_default_graph_as_union=True), format=ox.RdfFormat.TURTLE)
    return time.perf_counter() - began


def timed(client, path: str, headers: dict) -> float:
    began = time.perf_counter()
    response = client.get(path, headers=headers)
    seconds = time.perf_counter() - began
    assert response.status_code == 200, (path, response.status_code)
    return seconds


def measure_entity(client, store, kind, iri, reps) -> dict:
    path = "/id/" + iri[len(BASE):]
    page = json.loads(client.get(path + "?format=json").data)
    texts = [r["sparql"] for r in page["ran"]]
    claims = sum(len(level["claims"]) for level in page["levels"])
    timed(client, path, {"Accept": "text/html"})                    # warm
    html, base, ttl, base_ttl = [], [], [], []
    for _ in range(reps):
        html.append(timed(client, path, {"Accept": "text/html"}))
        base.append(bare(store, texts))
        ttl.append(timed(client, path, {"Accept": "text/turtle"}))
        base_ttl.append(bare_turtle(store, iri))
    return {"kind": kind, "iri": iri, "queries": len(texts), "claims_shown": claims,
            "html": measure.summary(html), "baseline": measure.summary(base),
            "turtle": measure.summary(ttl), "baseline_turtle": measure.summary(base_ttl),
            "html_samples": html}


def report(args, meta, load_seconds, results) -> str:
    lines = [f"# Entity pages at {meta.get('triples', args.triples)} triples "
             f"(seed {args.seed}), {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC", "",
             f"Store loaded in {load_seconds:.1f} s. {args.reps} repetitions per entity, page and "
             "baseline interleaved. Baseline: the page's own queries on the bare pyoxigraph store.",
             f"Machine: {os.cpu_count()} CPUs; load average at the start {meta['load_before']}, "
             f"at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}.", "",
             "| kind | entities | queries | claims shown | page median ms | page p95 ms | "
             "bare queries median ms | ratio | Turtle median ms | bare CONSTRUCT ms | ratio |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    kinds = dict.fromkeys(r["kind"] for r in results)
    for kind in kinds:
        rows = [r for r in results if r["kind"] == kind]
        page = statistics.median(s for r in rows for s in r["html_samples"]) * 1000
        p95 = max(r["html"]["p95_ms"] for r in rows)
        base = statistics.median(r["baseline"]["median_ms"] for r in rows)
        ttl = statistics.median(r["turtle"]["median_ms"] for r in rows)
        base_ttl = statistics.median(r["baseline_turtle"]["median_ms"] for r in rows)
        lines.append(f"| {kind} | {len(rows)} | {max(r['queries'] for r in rows)} | "
                     f"{max(r['claims_shown'] for r in rows)} | {page:.1f} | {p95:.1f} | {base:.1f} | "
                     f"{page / base:.1f}× | {ttl:.1f} | {base_ttl:.1f} | {ttl / base_ttl:.1f}× |")
    sampled = [s for r in results if r["kind"] != "busiest organization" for s in r["html_samples"]]
    overall = statistics.median(sampled) * 1000
    verdict = "PASS" if overall < TARGET_MS else "FAIL"
    lines += ["", f"Median entity page over the random sample ({len(sampled)} timings): "
              f"**{overall:.1f} ms** — target < {TARGET_MS:.0f} ms: **{verdict}**."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    args = parse_args(argv)
    label = f"{args.triples // 1000}k" if args.triples < 1_000_000 else f"{args.triples // 1_000_000}m"
    data, _sources, meta = dataset(label, args.triples, args.seed)
    meta["load_before"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    began = time.monotonic()
    store = load(data)
    load_seconds = time.monotonic() - began
    client = create_app({"LOG_REQUESTS": False}, dataset_of(store, [str(data)])).test_client()
    results, deadline = [], time.monotonic() + args.budget
    for kind, iri in sample(store, args.per_kind, args.seed):
        if time.monotonic() > deadline:
            print(f"budget spent: skipped {kind} {iri}", file=sys.stderr)
            continue
        results.append(measure_entity(client, store, kind, iri, args.reps))
        print(f"{kind:22} {iri[len(BASE):]:24} page {results[-1]['html']['median_ms']:7.1f} ms  "
              f"bare {results[-1]['baseline']['median_ms']:7.1f} ms", file=sys.stderr)
    text = report(args, meta, load_seconds, results)
    print(text)
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    stem = out / f"pages-{datetime.datetime.now(datetime.timezone.utc):%Y%m%dT%H%M%SZ}"
    stem.with_suffix(".md").write_text(text)
    stem.with_suffix(".json").write_text(json.dumps(
        [{k: v for k, v in r.items() if k != "html_samples"} for r in results], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
