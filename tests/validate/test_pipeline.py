"""The validation run: the engine in a child process, counts by SPARQL, progress only on a terminal."""

import io

import pytest

from chipkg.errors import UnusableInput
from chipkg.validate.progress import Progress
from chipkg.validate.run import validate_files, validate_quads
from chipkg.rdfio import read_quads


def test_the_child_process_path_gives_the_same_outcome(layout, sources):
    paths = layout.ontology_files + layout.graph_files
    inline, _ = validate_files(paths, layout.shapes_files, sources, apart_bytes=1 << 60)
    apart, store = validate_files(paths, layout.shapes_files, sources, apart_bytes=0)
    assert apart.problems == inline.problems == []
    assert apart.counts == inline.counts
    assert apart.counts["triples"] == len(store) and apart.counts["quotes_verified"] >= 50


def test_findings_come_back_from_the_child(layout, minimal_graph, tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ck: <https://w3id.org/chipkg/ontology#> .\n"
                      "<https://example.org/test/deal-x> a ck:Deal .\n")
    outcome, _ = validate_files(layout.ontology_files + [minimal_graph, broken], layout.shapes_files,
                                None, apart_bytes=0)
    assert not outcome.conforms
    assert {p.focus for p in outcome.problems} == {"<https://example.org/test/deal-x>"}
    assert "sh:conforms false" in outcome.report.serialize(format="turtle")


def test_a_syntax_error_is_reported_with_its_line_whatever_the_path(layout, tmp_path):
    bad = tmp_path / "bad.nq"
    bad.write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> \"open .\n")
    with pytest.raises(UnusableInput, match=rf"{bad}:2"):
        validate_files(layout.ontology_files + [bad], layout.shapes_files, None, apart_bytes=0)


def test_counts_are_distinct_triples_of_the_union(layout, minimal_graph):
    quads = read_quads(layout.ontology_files + [minimal_graph])
    import pyoxigraph as ox
    copy = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode("urn:copy")) for q in quads]
    once = validate_quads(quads, layout.shapes_files, None).counts
    twice = validate_quads(quads + copy, layout.shapes_files, None).counts
    assert once["triples"] == twice["triples"] == len({q.triple for q in quads})
    assert once["claims"] == 2


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("environ, shown", [({}, True), ({"CI": "true"}, False),
                                            ({"CI": "true", "CHIPKG_PROGRESS": "1"}, True),
                                            ({"CHIPKG_PROGRESS": "0"}, False)])
def test_progress_on_a_terminal_only(monkeypatch, environ, shown):
    for name in ("CI", "CHIPKG_PROGRESS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    stream = _Terminal()
    with Progress.for_terminal(stream).phase("loading"):
        pass
    assert ("loading: done in" in stream.getvalue()) == shown


def test_no_progress_when_not_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("CHIPKG_PROGRESS", raising=False)
    stream = io.StringIO()
    Progress.for_terminal(stream).say("hello")
    assert stream.getvalue() == ""


def test_child_path_messages_match_the_in_process_path(layout, minimal_graph, tmp_path):
    """The ontology's bands ("0.90"^^xsd:decimal) read the same in both paths, as pySHACL has them."""
    import pyoxigraph as ox
    from chipkg.validate.run import load_store
    store = load_store([minimal_graph])
    fixture = layout.root / "tests" / "shapes" / "invalid" / "deal-confidence-above-one.ru"
    store.update(fixture.read_text(encoding="utf-8"))
    changed = tmp_path / "changed.nq"
    store.dump(changed, ox.RdfFormat.N_QUADS)
    paths = layout.ontology_files + [changed]
    apart, _ = validate_files(paths, layout.shapes_files, None, apart_bytes=0)
    inline, _ = validate_files(paths, layout.shapes_files, None, apart_bytes=1 << 60)
    reference, _ = validate_files(paths, layout.shapes_files, None, engine="pyshacl")
    assert apart.problems == inline.problems == reference.problems
    assert any("[0.9, 1]" in p.message for p in apart.problems)
