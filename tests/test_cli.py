"""The chipkg CLI: exit codes, output formats, build, query and stats."""

import json
import os
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from chipkg.namespaces import CK
from chipkg.project import Layout
from chipkg.rdfio import read_quads, to_rdflib

MICRON_DEAL = "kg:deal-micron-anthropic-strategic-agreement"


def _shipped_graph_without(layout, tmp_path, triple_pattern: str):
    """The shipped graph written to a file after deleting what the pattern matches."""
    store = ox.Store()
    store.extend(read_quads(layout.graph_files))
    store.update(f"""PREFIX ck: <https://w3id.org/chipkg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX kg: <https://w3id.org/chipkg/id/>
        DELETE {{ GRAPH ?g {{ {triple_pattern} }} }} WHERE {{ GRAPH ?g {{ {triple_pattern} }} }}""")
    path = tmp_path / "changed.trig"
    store.dump(path, ox.RdfFormat.TRIG)
    return path


def test_validate_shipped_graph_conforms(invoke, sources):
    result = invoke("validate", "--sources", sources)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("conforms: 0 violation(s)")


def _shipped_deals() -> list[str]:
    store = ox.Store()
    store.extend(read_quads(Layout().graph_files))
    query = "SELECT ?d WHERE { GRAPH ?g { ?d a <https://w3id.org/chipkg/ontology#Deal> } }"
    return sorted("kg:" + row["d"].value.rsplit("/", 1)[1] for row in store.query(query))


@pytest.mark.parametrize("deal", _shipped_deals())
@pytest.mark.parametrize("path", ["prov:wasDerivedFrom", "ck:confidence"])
def test_validate_fails_when_any_deal_loses_its_source_or_confidence(
        invoke, layout, sources, tmp_path, deal, path):
    changed = _shipped_graph_without(layout, tmp_path, f"{deal} {path} ?o")
    result = invoke("validate", changed, "--sources", sources)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("Violation")]
    assert len(lines) == 1 and lines[0].startswith(f"Violation: {deal} {path}:")
    assert "does not conform: 1 violation(s)" in result.output


def test_report_formats_carry_the_same_violation(invoke, layout, sources, tmp_path):
    changed = _shipped_graph_without(layout, tmp_path, f"{MICRON_DEAL} prov:wasDerivedFrom ?o")
    as_json = json.loads(invoke("validate", changed, "--sources", sources, "--format", "json").output)
    assert as_json["conforms"] is False
    assert [p["focus"] for p in as_json["problems"]] == [MICRON_DEAL]

    junit = invoke("validate", changed, "--sources", sources, "--format", "junit")
    suite = ElementTree.fromstring(junit.output.split("\n", 1)[1])
    failed = [case for case in suite.findall("testcase") if case.find("failure") is not None]
    assert suite.get("failures") == "1" and len(failed) == 1
    assert failed[0].get("name") == f"{MICRON_DEAL} prov:wasDerivedFrom"

    turtle = invoke("validate", changed, "--sources", sources, "--format", "turtle")
    report = Graph().parse(data=turtle.output, format="turtle")
    assert next(report.objects(None, SH.conforms)).toPython() is False
    assert len(list(report.subjects(None, SH.ValidationResult))) == 1


def test_junit_of_a_clean_run_lists_what_ran(invoke, sources):
    result = invoke("validate", "--sources", sources, "--format", "junit")
    suite = ElementTree.fromstring(result.output.split("\n", 1)[1])
    assert suite.get("failures") == "0"
    assert {c.get("name") for c in suite.findall("testcase")} == {"SHACL shapes", "quote verification"}


def test_output_file_is_written_and_summary_goes_to_stderr(invoke, sources, tmp_path):
    target = tmp_path / "reports" / "chipkg.xml"
    result = invoke("validate", "--sources", sources, "--format", "junit", "--output", target)
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr.startswith("conforms")
    assert ElementTree.parse(target).getroot().tag == "testsuite"


def test_syntax_error_is_reported_with_file_and_line(invoke, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e \"open .\n")
    result = invoke("validate", bad, "--skip-quotes")
    assert result.exit_code == 2
    assert f"{bad}:3:" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("args", [
    ("validate", "does-not-exist.ttl"),
    ("validate", "--sources", "/nonexistent-folder"),
    ("validate", "--format", "yaml"),
    ("query", "SELECT * WHERE {"),
    ("query", "--stored", "no-such-query"),
    ("query", "--stored", "claims-about", "-p", "nonsense"),
    ("query", "--stored", "claims-about", "-p", "bogus=1"),
    ("query", "CONSTRUCT WHERE { ?s ?p ?o }", "--format", "csv"),
])
def test_unusable_input_exits_2_without_traceback(invoke, args):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_an_empty_graph_folder_is_an_error_not_a_pass(invoke, layout, tmp_path):
    for folder in ("ontology", "shapes"):
        (tmp_path / folder).symlink_to(layout.root / folder)
    (tmp_path / "kg").mkdir()
    result = invoke("--root", tmp_path, "validate", "--skip-quotes")
    assert result.exit_code == 2
    assert "no graph files" in result.stderr


def test_build_writes_every_export_and_replaces_the_folder(invoke, sources, tmp_path):
    target = tmp_path / "build"
    target.mkdir()
    (target / "stale.txt").write_text("from an older build")
    result = invoke("build", "--output-dir", target, "--sources", sources)
    assert result.exit_code == 0, result.output
    manifest = json.loads((target / "manifest.json").read_text())
    assert {"chipkg.trig", "chipkg.nq", "chipkg.jsonld"} <= {f["name"] for f in manifest["files"]}
    assert not (target / "stale.txt").exists()
    for name in ("chipkg.trig", "chipkg.nq"):
        assert len(read_quads([target / name])) == manifest["quads"]
    assert len(read_quads([target / "chipkg.jsonld"])) == manifest["triples"]   # the union


def test_build_refuses_invalid_data_and_keeps_the_old_build(invoke, layout, sources, tmp_path):
    target = tmp_path / "build"
    assert invoke("build", "--output-dir", target, "--sources", sources).exit_code == 0
    before = (target / "chipkg.trig").read_bytes()
    changed = _shipped_graph_without(layout, tmp_path, f"{MICRON_DEAL} ck:confidence ?o")
    result = invoke("build", changed, "--output-dir", target, "--sources", sources)
    assert result.exit_code == 1
    assert (target / "chipkg.trig").read_bytes() == before


def test_query_formats(invoke):
    select = "PREFIX ck: <https://w3id.org/chipkg/ontology#> SELECT ?deal WHERE { ?deal a ck:Deal }"
    table = invoke("query", select)
    assert table.exit_code == 0 and "kg:deal-micron-anthropic-strategic-agreement" in table.output
    rows = json.loads(invoke("query", select, "--format", "json").output)["results"]["bindings"]
    csv_lines = invoke("query", select, "--format", "csv").output.strip().splitlines()
    assert csv_lines[0] == "deal" and len(csv_lines) == len(rows) + 1 == len(table.output.splitlines()) - 2
    assert invoke("query", "ASK { ?s ?p ?o }").output == "true\n"
    turtle = invoke("query", "CONSTRUCT WHERE { ?s a <https://w3id.org/chipkg/ontology#Deal> }")
    assert len(Graph().parse(data=turtle.output, format="turtle")) == len(rows)


def test_query_from_rq_file_and_stored_query_with_parameter(invoke, layout):
    from_file = invoke("query", layout.queries_dir / "deals-by-evidence.rq", "--format", "csv")
    assert from_file.exit_code == 0 and "officially confirmed" in from_file.output
    about = invoke("query", "--stored", "claims-about", "-p", "org=kg:micron", "--format", "json")
    bindings = json.loads(about.output)["results"]["bindings"]
    assert bindings and {b["org"]["value"] for b in bindings} == {"https://w3id.org/chipkg/id/micron"}


def test_stats_count_what_is_in_the_files(invoke, layout):
    numbers = json.loads(invoke("stats", "--format", "json").output)
    graph = to_rdflib(read_quads(layout.ontology_files + layout.graph_files))
    claims = len(set(graph.subjects(RDF.type, CK.Claim)))
    assert numbers["claims"] == claims > 0
    assert sum(numbers["claims_by_level"].values()) == claims
    # One named graph per source's TriG file; kg/wikidata-links.ttl is default-graph links.
    assert numbers["named_graphs"] == len([p for p in layout.graph_files if p.suffix == ".trig"])


def test_written_files_are_readable_like_any_other(invoke, sources, tmp_path):
    """Atomic writes go through mkstemp (mode 0600); the result must honour the umask."""
    previous = os.umask(0o022)
    try:
        target = tmp_path / "report.json"
        invoke("validate", "--sources", sources, "--format", "json", "--output", target)
    finally:
        os.umask(previous)
    assert target.stat().st_mode & 0o777 == 0o644
