"""`chipkg build` killed mid-write (SIGKILL of the real process) loses nothing: the previous
build stays complete, and the next build tidies up. The build folder is readable as the umask
says (issue 10 item 8: mkdtemp's 0700 hid the dumps from a web server running as another user)."""

import hashlib
import json
import os
import stat
from pathlib import Path

from chipkg.export import export_dataset as build_dataset

from process_helpers import CLI, kill_during


def complete(build: Path) -> dict:
    """The manifest, after checking every file it lists is whole."""
    manifest = json.loads((build / "manifest.json").read_text())
    for entry in manifest["files"]:
        data = (build / entry["name"]).read_bytes()
        assert len(data) == entry["bytes"] and hashlib.sha256(data).hexdigest() == entry["sha256"]
    return manifest


def test_build_killed_mid_write_keeps_the_previous_build(tmp_path, sources):
    target = tmp_path / "build"
    argv = CLI + ["build", "--output-dir", str(target), "--sources", str(sources)]
    assert kill_during(argv, lambda: False) is False          # a first, complete build
    before = complete(target)
    landed = 0
    for _ in range(5):
        if kill_during(argv, lambda: len(list(tmp_path.glob(".build.export-*"))) > 1):
            landed += 1
            assert complete(target) == before                 # the old build, whole
            if landed == 2:
                break
    assert landed, "no kill landed while the build was writing"
    assert kill_during(argv, lambda: False) is False          # the next build succeeds ...
    after = complete(target)       # blank node labels differ from build to build, counts do not
    assert after["quads"] == before["quads"]
    assert [f["name"] for f in after["files"]] == [f["name"] for f in before["files"]]
    assert list(tmp_path.glob(".build.*")) == [target.resolve()]   # ... and leaves no debris


def test_the_folder_of_a_killed_build_is_removed_by_the_next(tmp_path, minimal_graph):
    from chipkg.rdfio import read_quads
    quads = read_quads([minimal_graph])
    target = tmp_path / "build"
    build_dataset(quads, target)
    dead = tmp_path / ".build.export-killed"                  # as a SIGKILL mid-write leaves it
    dead.mkdir()
    (dead / "chipkg.nq").write_bytes(b"<a> <b> ")
    build_dataset(quads, target)
    assert complete(target) and not dead.exists()


def test_build_folder_mode_follows_the_umask(tmp_path, minimal_graph):
    from chipkg.rdfio import read_quads
    quads = read_quads([minimal_graph])
    for umask, mode in ((0o022, 0o755), (0o077, 0o700)):
        previous = os.umask(umask)
        try:
            build_dataset(quads, tmp_path / f"b{umask:o}")
        finally:
            os.umask(previous)
        assert stat.S_IMODE((tmp_path / f"b{umask:o}").resolve().stat().st_mode) == mode
