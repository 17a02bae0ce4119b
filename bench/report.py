"""The report of a benchmark run (bench/run.py): the machine it ran on, and the results as
Markdown tables with ratios and the issue's targets marked PASS or FAIL."""

import os
import platform
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

import servers as S
from servers import SERVER_NAMES


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
