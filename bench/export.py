"""Benchmark: `chipkg export` of a large synthetic graph beside a plain pyoxigraph dump.

Not a test. Each step runs in its own process, so its wall time and peak resident
memory (ru_maxrss from wait4) are its own. The baseline reads the same file with
the same reader and writes it once as N-Quads with pyoxigraph, with no
canonicalisation, sorting or other formats: the least any dump of the data
costs. The ratios say what everything else in the export costs on top.

    python bench/export.py                 # 1M triples (about 3-5 minutes on 2 cores)
    python bench/export.py --triples 200000
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASELINE = """
import sys, pyoxigraph as ox
from pathlib import Path
from chipkg.rdfio import read_quads
from chipkg.project import Layout
quads = read_quads(Layout().ontology_files + [Path(sys.argv[1])])
ox.serialize(quads, sys.argv[2], format=ox.RdfFormat.N_QUADS)
"""


def measured(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MiB) of a command run to its end."""
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed ({status}): {' '.join(command)}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    data = HERE / "data" / f"synth-{args.triples}-seed{args.seed}.nq"
    if not data.is_file():
        subprocess.run([sys.executable, "-c", "from chipkg.cli import cli; cli()", "synth", "--triples", str(args.triples),
                        "--seed", str(args.seed), "--output", str(data)], check=True)
    work = Path(tempfile.mkdtemp(prefix="chipkg-bench-export-"))
    try:
        base = measured([sys.executable, "-c", BASELINE, str(data), str(work / "plain.nq")])
        export = measured([sys.executable, "-c", "from chipkg.cli import cli; cli()", "export",
                           str(work / "export"), "--data", str(data)])
        written = sum(p.stat().st_size for p in (work / "export").iterdir())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"| step ({args.triples:,} triples) | seconds | peak RSS MiB |")
    print("|---|---|---|")
    print(f"| plain pyoxigraph N-Quads dump (baseline) | {base[0]:.1f} | {base[1]:.0f} |")
    print(f"| chipkg export (11 files, {written / 2**20:.0f} MiB) | {export[0]:.1f} | {export[1]:.0f} |")
    print(f"| ratio | {export[0] / base[0]:.1f}x | {export[1] / base[1]:.1f}x |")


if __name__ == "__main__":
    main()
