"""The validation cache: used for unchanged input, ignored whenever it cannot be trusted."""

import json
import shutil

import pytest

from chipkg.validate import cache
from chipkg.validate.progress import Progress
from chipkg.validate.run import load_store

BROKEN_DEAL = """@prefix ck: <https://w3id.org/chipkg/ontology#> .
<https://example.org/test/deal-x> a ck:Deal .
"""


def _run(layout, paths, folder, shapes=None, sources=None):
    return cache.validate_with_cache(paths, shapes or layout.shapes_files, sources, engine="shacl",
                                     folder=folder, progress=Progress.quiet())[0]


@pytest.fixture
def paths(layout, minimal_graph):
    return layout.ontology_files + [minimal_graph]


def test_unchanged_input_is_not_validated_again(layout, paths, tmp_path, fixture_sources):
    first = _run(layout, paths, tmp_path, sources=fixture_sources)
    second = _run(layout, paths, tmp_path, sources=fixture_sources)
    assert not first.cached and second.cached
    assert second.problems == first.problems and second.counts == first.counts
    assert len(list(tmp_path.glob("*.json"))) == 1


def test_a_failing_result_is_replayed_whole(layout, paths, tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text(BROKEN_DEAL)
    first = _run(layout, paths + [broken], tmp_path / "c")
    second = _run(layout, paths + [broken], tmp_path / "c")
    assert second.cached and not second.conforms
    assert second.problems == first.problems
    assert second.report.serialize(format="nt") and len(second.report) == len(first.report)


def test_changed_data_shapes_or_sources_give_another_key(layout, paths, tmp_path, fixture_sources):
    base = cache.input_key(paths, layout.shapes_files, fixture_sources, "shacl")
    changed = tmp_path / "minimal.ttl"
    changed.write_text(paths[-1].read_text() + "\n# a comment changes the bytes\n")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(layout.shapes_files[0].read_text() + "\n")
    sources = tmp_path / "sources"
    shutil.copytree(fixture_sources, sources)
    (sources / "extra.txt").write_text("another source")
    keys = {base,
            cache.input_key(paths[:-1] + [changed], layout.shapes_files, fixture_sources, "shacl"),
            cache.input_key(paths, [shapes], fixture_sources, "shacl"),
            cache.input_key(paths, layout.shapes_files, sources, "shacl"),
            cache.input_key(paths, layout.shapes_files, None, "shacl"),
            cache.input_key(paths, layout.shapes_files, fixture_sources, "pyshacl")}
    assert len(keys) == 6


def test_changed_shapes_are_obeyed_not_the_cache(layout, paths, tmp_path):
    assert _run(layout, paths, tmp_path).conforms
    strict = tmp_path / "strict.ttl"
    strict.write_text(layout.shapes_files[0].read_text() + """
cksh:AtLeastTenDeals a sh:NodeShape ; sh:targetNode ck:Deal ;
    sh:property [ sh:path [ sh:inversePath rdf:type ] ; sh:minCount 10 ] .
""")
    outcome = _run(layout, paths, tmp_path, shapes=[strict])
    assert not outcome.cached and not outcome.conforms


def _entry(folder):
    [path] = list(folder.glob("*.json"))
    return path


@pytest.mark.parametrize("spoil", ["corrupt", "checksum", "other-key", "old-format", "empty"])
def test_an_untrusted_entry_is_ignored_and_replaced(layout, paths, tmp_path, spoil):
    broken = tmp_path / "broken.ttl"
    broken.write_text(BROKEN_DEAL)
    folder = tmp_path / "cache"
    honest = _run(layout, paths + [broken], folder)
    path = _entry(folder)
    entry = json.loads(path.read_text())
    if spoil == "corrupt":
        path.write_text(path.read_text()[: len(path.read_text()) // 2])
    elif spoil == "empty":
        path.write_text("")
    elif spoil == "checksum":            # a result edited to pass, checksum left as it was
        entry["payload"]["problems"] = []
        path.write_text(json.dumps(entry))
    elif spoil == "other-key":           # a valid entry of another input, under this key
        clean = _run(layout, paths, folder / "other")
        path.write_text(_entry(folder / "other").read_text())
        assert clean.conforms
    elif spoil == "old-format":
        entry["format"] = 0
        path.write_text(json.dumps(entry))
    key = path.stem
    assert cache.load(folder, key)[0] is None
    again = _run(layout, paths + [broken], folder)
    assert not again.cached and not again.conforms and again.problems == honest.problems
    assert cache.load(folder, key)[0] is not None          # replaced by a trusted entry


def test_an_unwritable_cache_folder_is_not_an_error(layout, paths, tmp_path):
    folder = tmp_path / "file-not-folder"
    folder.write_text("in the way")
    assert _run(layout, paths, folder).conforms


def test_cli_uses_the_cache_and_no_cache_skips_it(invoke, tmp_path, sources):
    folder = tmp_path / "cli-cache"
    first = invoke("validate", "--sources", sources, "--cache-dir", folder)
    second = invoke("validate", "--sources", sources, "--cache-dir", folder, "--format", "turtle")
    assert first.exit_code == second.exit_code == 0
    assert len(list(folder.glob("*.json"))) == 1
    assert "sh:conforms true" in second.output
    third = invoke("validate", "--sources", sources, "--cache-dir", tmp_path / "unused", "--no-cache")
    assert third.output == first.output and not (tmp_path / "unused").exists()


def test_cache_folder_default_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("CHIPKG_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "chipkg" / "validation"
    monkeypatch.setenv("CHIPKG_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"
    assert cache.cache_dir(tmp_path / "given") == tmp_path / "given"


def test_a_cache_hit_still_gives_a_server_its_store(layout, paths, tmp_path):
    cache.validate_with_cache(paths, layout.shapes_files, None, engine="shacl", folder=tmp_path,
                              progress=Progress.quiet())
    outcome, store = cache.validate_with_cache(paths, layout.shapes_files, None, engine="shacl",
                                               folder=tmp_path, progress=Progress.quiet(),
                                               need_store=True)
    assert outcome.cached and len(store) == len(load_store(paths))
