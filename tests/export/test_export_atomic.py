"""An export killed at any point leaves the previous complete export in place.

The test really kills a `chipkg export` process (SIGKILL, no clean-up runs) while
it writes a 200k-triple synthetic dataset, then checks the folder still holds
the previous export, every file matching its manifest.
"""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time

from chipkg.export import export_dataset
from chipkg.synth import write_synthetic


def verify(folder) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text())
    for entry in manifest["files"]:
        data = (folder / entry["name"]).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["bytes"], entry["sha256"]), entry["name"]
    return manifest


def test_a_killed_export_leaves_the_previous_one_whole(shipped_quads, tmp_path):
    synthetic = tmp_path / "synthetic.nq"
    write_synthetic(synthetic, 200_000, 3)
    target = tmp_path / "export"
    previous = export_dataset(shipped_quads, target)
    previous_folder = target.resolve()

    process = subprocess.Popen(
        [sys.executable, "-c", "from chipkg.cli import cli; cli()", "export", str(target), "--data", str(synthetic)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    fresh, deadline = None, time.monotonic() + 240
    try:
        while time.monotonic() < deadline and process.poll() is None:
            candidates = [p for p in tmp_path.glob(".export.export-*") if p.resolve() != previous_folder]
            if candidates and any(f.stat().st_size > 0 for f in candidates[0].iterdir()):
                fresh = candidates[0]
                break
            time.sleep(0.01)
        assert process.poll() is None, f"the export ended before it could be killed: {process.stderr.read()}"
        assert fresh is not None, "the export wrote nothing within the time allowed"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=30)
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert fresh.is_dir() and not (fresh / "manifest.json").exists()   # killed half-way through

    assert target.resolve() == previous_folder
    assert verify(target) == previous

    again = export_dataset(shipped_quads, target)       # the next export clears the debris
    assert verify(target) == again
    assert not fresh.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".export.")] == [target.resolve().name]
