"""chipkg export: every dump parses back to the source data, and the bytes never vary."""

import hashlib
import json
import subprocess
import sys

import pyoxigraph as ox
import pytest
from rdflib import Dataset as RdflibDataset, Graph
from rdflib.compare import to_isomorphic

from chipkg.export.files import DUMPS, FILES
from chipkg.rdfio import read_quads

UNION_FILES = {"chipkg.ttl": "turtle", "chipkg.nt": "nt", "chipkg.rdf": "xml", "chipkg.jsonld": "json-ld"}


def canonical_set(quads) -> set[str]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def union_of(quads) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object) for t in {q.triple for q in quads}]


def test_every_file_of_the_table_is_written_and_in_the_manifest(exported):
    target, manifest = exported
    assert target.is_symlink()
    assert sorted(p.name for p in target.iterdir()) == sorted(f.name for f in FILES)
    listed = {e["name"]: e for e in manifest["files"]}
    assert set(listed) == {f.name for f in FILES} - {"manifest.json"}
    for name, entry in listed.items():
        data = (target / name).read_bytes()
        assert entry["bytes"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest(), name
    assert manifest["version"] == listed["chipkg.nq"]["sha256"][:12]


@pytest.mark.parametrize("name", ["chipkg.nq", "chipkg.trig"])
def test_dataset_dumps_parse_back_isomorphic_with_every_named_graph(exported, shipped_quads, name):
    target, _ = exported
    back = read_quads([target / name])
    assert canonical_set(back) == canonical_set(shipped_quads)
    assert {q.graph_name for q in back} == {q.graph_name for q in shipped_quads}


@pytest.mark.parametrize("name", sorted(UNION_FILES))
def test_union_dumps_parse_back_isomorphic(exported, shipped_quads, name):
    target, _ = exported
    back = read_quads([target / name])
    assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in back)
    assert canonical_set(back) == canonical_set(union_of(shipped_quads))


# rdflib's own JSON-LD parser builds a ConjunctiveGraph inside, which rdflib 7 deprecates.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("name", ["chipkg.jsonld"])
def test_rdflib_reads_the_union_dumps_as_the_same_graph(exported, shipped_quads, name):
    """A second, independent parser (rdflib) agrees on the JSON-LD, the one dump chipkg's own
    code writes (the others are pyoxigraph's serialisers); rdflib's isomorphism check takes
    seconds per file, so it is not repeated for every format."""
    target, _ = exported
    expected = Graph()
    expected.parse(data=ox.serialize(union_of(shipped_quads), format=ox.RdfFormat.N_TRIPLES), format="nt")
    parsed = Graph().parse(target / name, format=UNION_FILES[name])
    assert to_isomorphic(parsed) == to_isomorphic(expected)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")     # rdflib 7's Dataset.parse, inside
def test_rdflib_reads_the_trig_with_one_graph_per_source(exported, layout):
    target, _ = exported
    dataset = RdflibDataset()
    with open(target / "chipkg.trig", "rb") as handle:
        dataset.parse(handle, format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g) and str(g.identifier).startswith("https://")}
    assert names == {q.graph_name.value for q in read_quads(layout.graph_files)
                     if isinstance(q.graph_name, ox.NamedNode)}
    text = (target / "chipkg.trig").read_text()
    assert all(text.count(f"<{name}> {{") == 1 for name in names)   # each graph written once


def test_blank_nodes_are_labelled_canonically_and_statements_sorted(exported):
    target, _ = exported
    lines = (target / "chipkg.nq").read_bytes().splitlines()
    assert lines == sorted(lines)
    labels = {word for line in lines for word in line.split() if word.startswith(b"_:")}
    assert labels and all(label.startswith(b"_:c14n") for label in labels)
    nt = (target / "chipkg.nt").read_bytes().splitlines()
    assert nt == sorted(nt) and len(nt) == len(set(nt))


def test_jsonld_uses_the_readable_context(exported):
    target, _ = exported
    document = json.loads((target / "chipkg.jsonld").read_text())
    context = json.loads((target / "context.jsonld").read_text())["@context"]
    assert document["@context"] == context
    for key in ("level", "confidence", "quote", "about", "source", "exact"):
        assert key in context
    claim = next(n for n in document["@graph"] if n["id"] == "kg:claim-anthropic-hard-to-replace-suppliers")
    assert claim["level"] == ["ev:Reported"] and claim["confidence"] == ["0.70"]
    assert claim["quote"] == ["kg:quote-anthropic-hard-to-replace-suppliers"]


def _all_bytes(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_exports_are_byte_identical_in_process_and_across_processes(exported, shipped_quads, tmp_path,
                                                                        layout):
    from chipkg.export import export_dataset
    target, _ = exported
    again = tmp_path / "again"
    export_dataset(list(reversed(shipped_quads)), again)      # another input order, same data
    assert _all_bytes(again) == _all_bytes(target)
    other = tmp_path / "other-process"
    result = subprocess.run([sys.executable, "-c", "from chipkg.cli import cli; cli()", "export", str(other)],
                            capture_output=True, text=True, env={"PYTHONHASHSEED": "12345", "PATH": ""},
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert _all_bytes(other) == _all_bytes(target)


def test_exporting_again_into_the_same_folder_changes_nothing(exported, shipped_quads, tmp_path):
    from chipkg.export import export_dataset
    target = tmp_path / "same"
    export_dataset(shipped_quads, target)
    first = _all_bytes(target)
    export_dataset(shipped_quads, target)
    assert _all_bytes(target) == first == _all_bytes(exported[0])
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".same.")] == [target.resolve().name]


def test_dump_table_matches_the_format_table():
    from chipkg.formats import BY_NAME
    for entry in DUMPS:
        assert entry.media_type == BY_NAME[entry.format].media_type
        assert ox.RdfFormat.from_extension(entry.name.rsplit(".", 1)[1]) == BY_NAME[entry.format].rdf


def test_unusable_input_is_exit_2_and_writes_nothing(invoke, tmp_path):
    (tmp_path / "broken.ttl").write_text("<a> <b> .\n")
    for bad in (tmp_path / "missing.nq", tmp_path / "broken.ttl"):
        result = invoke("export", tmp_path / "out", "--data", bad)
        assert result.exit_code == 2 and "chipkg: error:" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.ttl"]
