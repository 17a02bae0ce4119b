"""chipkg diff and the build's changelog: what changed between two versions of the data."""

import json

import pyoxigraph as ox

from chipkg.export import export_dataset
from chipkg.rdfio import read_quads

KG = "https://w3id.org/chipkg/id/"
CLAIM = "kg:claim-anthropic-hard-to-replace-suppliers"
GRADED = f"""{CLAIM} a ck:Claim ;
        rdfs:label "Anthropic chip will not replace existing suppliers in the short term"@en ;
        schema:text "Even if Anthropic's self-developed chip exploration continues, it will be difficult to replace its existing suppliers in the short term."@en ;
        schema:about kg:anthropic-server-chip , kg:anthropic , kg:aws , kg:google , kg:nvidia ;
        ck:evidenceLevel ev:Reported ;
        ck:confidence 0.70 ;"""


def edited_graph(layout, folder):
    """A copy of the shipped source graph with one claim downgraded to speculative (0.50)."""
    source = next(p for p in layout.graph_files if p.name.startswith("blockbeats"))
    text = source.read_text(encoding="utf-8")
    assert GRADED in text
    folder.mkdir()
    copy = folder / source.name
    copy.write_text(text.replace(GRADED, GRADED.replace("ev:Reported", "ev:Speculative")
                                 .replace("0.70", "0.50")), encoding="utf-8")
    return [p for p in layout.graph_files if p != source] + [copy]


def test_unchanged_data_is_exit_0(invoke, exported, shipped_quads, tmp_path):
    other = tmp_path / "other"
    export_dataset(shipped_quads, other)
    result = invoke("diff", exported[0], other)
    assert result.exit_code == 0 and result.output == "no changes in claims or deals\n"
    as_json = json.loads(invoke("diff", exported[0], other, "--format", "json").output)
    assert as_json["changed"] is False


def test_an_edited_evidence_level_shows_up(invoke, layout, exported, tmp_path):
    edited = tmp_path / "edited"
    assert invoke("export", edited, *sum((["--data", p] for p in edited_graph(layout, tmp_path / "kg")), [])
                  ).exit_code == 0
    result = invoke("diff", exported[0], edited)
    assert result.exit_code == 1
    assert f"~ claim {CLAIM}: ev:Reported 0.70 -> ev:Speculative 0.50" in result.output
    assert "0 claims added, 0 removed, 1 regraded" in result.output
    report = json.loads(invoke("diff", exported[0] / "chipkg.nq", edited / "chipkg.trig", "--format", "json").output)
    assert report["regraded"]["claims"] == [{
        "iri": KG + CLAIM.removeprefix("kg:"),
        "level": ["https://w3id.org/chipkg/evidence#Reported", "https://w3id.org/chipkg/evidence#Speculative"],
        "confidence": ["0.70", "0.50"]}]


def test_added_and_removed_claims_and_deals(invoke, exported, shipped_quads, tmp_path):
    gone = {ox.NamedNode(KG + "deal-openai-broadcom-jalapeno"), ox.NamedNode(KG + "claim-anthropic-1m-trainium2")}
    smaller = tmp_path / "smaller.nq"
    ox.serialize([q for q in shipped_quads if q.subject not in gone], smaller, format=ox.RdfFormat.N_QUADS)
    result = invoke("diff", exported[0], smaller, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["removed"] == {"claims": [KG + "claim-anthropic-1m-trainium2"],
                                 "deals": [KG + "deal-openai-broadcom-jalapeno"]}
    backwards = json.loads(invoke("diff", smaller, exported[0], "--format", "json").output)
    assert backwards["added"] == report["removed"] and not any(backwards["removed"].values())


def test_unusable_input_is_exit_2(invoke, exported, tmp_path):
    assert invoke("diff", exported[0], tmp_path / "missing.nq").exit_code == 2
    (tmp_path / "empty").mkdir()
    result = invoke("diff", tmp_path / "empty", exported[0])
    assert result.exit_code == 2 and "no chipkg.nq" in result.stderr
    (tmp_path / "broken.nq").write_text("<a> <b> .\n")
    assert invoke("diff", tmp_path / "broken.nq", exported[0]).exit_code == 2


def test_the_build_writes_a_changelog_entry_per_changed_version(invoke, layout, sources, tmp_path):
    target = tmp_path / "build"
    assert invoke("build", "--output-dir", target, "--sources", sources).exit_code == 0
    first = (target / "CHANGELOG.md").read_text()
    assert "First export: 55 claims, 4 deals." in first
    assert invoke("build", "--output-dir", target, "--sources", sources).exit_code == 0
    assert (target / "CHANGELOG.md").read_text() == first          # same data, same changelog
    edited = edited_graph(layout, tmp_path / "kg")
    result = invoke("build", *edited, "--output-dir", target, "--sources", sources)
    assert result.exit_code == 0, result.output
    log = (target / "CHANGELOG.md").read_text()
    version = json.loads((target / "manifest.json").read_text())["version"]
    assert log.index(f"## {version}") < log.index("First export")
    assert f"- ~ claim {CLAIM}: ev:Reported 0.70 -> ev:Speculative 0.50" in log
