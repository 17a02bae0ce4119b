"""chipkg synth: deterministic, about the requested size, realistic and valid under the shapes."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from chipkg.cli import cli
from chipkg.project import Layout
from chipkg.rdfio import read_quads
from chipkg.synth import write_synthetic
from chipkg.validate.run import validate_quads

CK = "https://w3id.org/chipkg/ontology#"
EV = "https://w3id.org/chipkg/evidence#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SMALL = 3000


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("synth")
    output, sources = folder / "small.nq", folder / "sources"
    write_synthetic(output, SMALL, seed=7, sources_dir=sources)
    return output, sources


@pytest.fixture(scope="module")
def store(small) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=small[0], format=ox.RdfFormat.N_QUADS)
    return store


def _select(store: ox.Store, query: str) -> list[tuple]:
    prologue = f"PREFIX ck: <{CK}>\nPREFIX ev: <{EV}>\nPREFIX org: <http://www.w3.org/ns/org#>\n"
    return [tuple(row) for row in store.query(prologue + query, use_default_graph_as_union=True)]


def test_same_seed_same_bytes_other_seed_differs(tmp_path, small):
    again, other = tmp_path / "again.nq", tmp_path / "other.nq"
    write_synthetic(again, SMALL, seed=7)
    write_synthetic(other, SMALL, seed=8)
    assert again.read_bytes() == small[0].read_bytes()
    assert other.read_bytes() != small[0].read_bytes()


@pytest.mark.parametrize("triples", [200, SMALL, 30_000])
def test_size_is_within_tolerance_and_has_no_duplicates(tmp_path, triples):
    output = tmp_path / "graph.nq"
    summary = write_synthetic(output, triples, seed=1)
    lines = output.read_bytes().count(b"\n")
    assert lines == summary.triples
    assert abs(lines - triples) <= max(0.02 * triples, 30)
    store = ox.Store()
    store.bulk_load(path=output, format=ox.RdfFormat.N_QUADS)
    assert len(store) == lines                    # every quad distinct


def test_valid_under_the_shapes_with_every_quote_verified(small):
    layout = Layout()
    output, sources = small
    outcome = validate_quads(read_quads(layout.ontology_files + [output]), layout.shapes_files,
                             sources)
    assert outcome.problems == []
    assert outcome.conforms
    assert outcome.counts["quotes_verified"] == outcome.counts["claims"] > 50


def test_all_five_evidence_levels_for_claims_and_deals(store):
    for kind in ("Claim", "Deal"):
        levels = {row[0].value for row in _select(
            store, f"SELECT DISTINCT ?l WHERE {{ ?x a ck:{kind} ; ck:evidenceLevel ?l }}")}
        assert levels == {EV + level for level in
                          ("OfficiallyConfirmed", "Reported", "Speculative", "Unsupported", "Denied")}


def test_organizations_hold_several_roles_and_every_role_is_used(store):
    rows = _select(store, "SELECT ?o (COUNT(?r) AS ?n) WHERE { ?o a ck:Company ; "
                          "org:classification ?r } GROUP BY ?o")
    assert sum(1 for _, n in rows if int(n.value) >= 2) >= 3
    roles = {row[0].value for row in _select(store, "SELECT DISTINCT ?r WHERE { ?o org:classification ?r }")}
    assert roles == {CK + r for r in ("ModelLab", "ChipDesigner", "Foundry", "MemoryMaker",
                                      "CloudProvider", "Publisher")}
    assert store.query("PREFIX ck: <%s> ASK { ?c a ck:Chip ; ck:designedBy ?d ; ck:purpose ?p ; "
                       "ck:developmentStage ?s ; ck:milestone ?m }" % CK, use_default_graph_as_union=True)
    assert store.query("PREFIX ck: <%s> ASK { ?m a ck:PersonMove }" % CK, use_default_graph_as_union=True)


def test_one_named_graph_per_source_document(store, small):
    graphs = {g.value for g in store.named_graphs()}
    documents = {}
    for quad in store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(CK + "SourceDocument"), None):
        documents.setdefault(quad.graph_name.value, []).append(quad.subject.value)
    assert graphs == set(documents) and len(graphs) >= 5
    assert all(len(found) == 1 for found in documents.values())
    linked = {(q.subject.value, q.object.value) for q in store.quads_for_pattern(
        None, ox.NamedNode("http://purl.org/dc/terms/source"), None, ox.DefaultGraph())}
    assert linked == {(g, d[0]) for g, d in documents.items()}
    assert len(list(small[1].iterdir())) == len(graphs)     # one text file per source


def test_trig_output_holds_the_same_data(tmp_path, small):
    trig = tmp_path / "small.trig"
    write_synthetic(trig, SMALL, seed=7)
    from_trig = ox.Dataset(ox.parse(path=trig, format=ox.RdfFormat.TRIG))
    from_nq = ox.Dataset(ox.parse(path=small[0], format=ox.RdfFormat.N_QUADS))
    from_trig.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    from_nq.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    assert from_trig == from_nq


def test_command_line(tmp_path):
    runner = CliRunner()
    output = tmp_path / "g.nq"
    result = runner.invoke(cli, ["synth", "--triples", "500", "--seed", "3", "--output", str(output),
                                 "--sources-dir", str(tmp_path / "src")])
    assert result.exit_code == 0, result.output
    assert output.is_file() and "triples" in result.output
    for bad in (["--triples", "5", "--output", str(output)],
                ["--triples", "many", "--output", str(output)],
                ["--triples", "500", "--output", str(tmp_path / "g.ttl")],
                ["--triples", "500", "--seed", "-1", "--output", str(output)],
                ["--triples", "500"]):
        assert runner.invoke(cli, ["synth", *bad]).exit_code == 2
