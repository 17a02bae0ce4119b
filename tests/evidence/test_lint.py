"""chipkg lint: cue-suggested levels against the graded ones."""

import json
from pathlib import Path
from xml.etree import ElementTree

from chipkg.evidence.lint import cues_in, suggest

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_cue_classes_nest_and_rank():
    assert [c.name for c, _ in cues_in("plans have not yet been confirmed")] == ["unconfirmed"]
    assert suggest("Zephyr reportedly announced a deal", "").level == "REP"
    assert suggest("Orion Labs denied that it signed", "").level == "DEN"
    assert suggest("supply agreements", "Micron announced supply agreements.").where == "sentence"
    assert suggest("It ships.", "It ships.") .cue is None


def test_lint_on_the_article_measures_agreement_per_level(invoke, sources):
    result = invoke("lint", "--agreement", "--format", "json", "--sources", sources)
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["checked"] == 55
    assert {k: (v["graded"], v["agree"]) for k, v in report["agreement"].items()} == {
        "CONF": (18, 18), "REP": (21, 18), "SPEC": (13, 13), "UNSUP": (3, 3)}
    found = {f["node"]: (f["suggested"], f["cue"]) for f in report["findings"]}
    assert found == {"kg:claim-aws-primary-provider": ("CONF", "emphasized"),
                     "kg:claim-infrastructure-partner-discussions": ("CONF", "confirmed"),
                     "kg:claim-samsung-manufacturing-capabilities": ("SPEC", "market attention")}


def test_lint_junit_lists_every_graded_claim(invoke, sources):
    result = invoke("lint", "--format", "junit", "--sources", sources)
    suite = ElementTree.fromstring(result.output)
    assert suite.get("tests") == "55" and suite.get("failures") == "3"
    assert len(suite.findall("testcase/failure")) == 3


def test_lint_is_clean_on_the_fictional_attestations(invoke, tmp_path):
    out = tmp_path / "kg"
    assert invoke("compile", FIXTURES / "claims", "--sources", FIXTURES / "sources",
                  "--output-dir", out).exit_code == 0
    result = invoke("lint", out, "--sources", FIXTURES / "sources")
    assert result.exit_code == 0, result.output
    assert "5 of 5 graded claims agree" in result.output


def test_lint_flags_a_level_the_wording_contradicts(invoke, tmp_path):
    claims = tmp_path / "claims"
    claims.mkdir()
    text = (FIXTURES / "claims" / "northwind-orion-zephyr.yaml").read_text()
    (claims / "n.yaml").write_text(text.replace("level: REP\n    confidence: 0.65", "level: CONF\n    confidence: 0.95"))
    out = tmp_path / "kg"
    assert invoke("compile", claims, "--sources", FIXTURES / "sources", "--output-dir", out).exit_code == 0
    result = invoke("lint", out, "--sources", FIXTURES / "sources")
    assert result.exit_code == 1
    assert "graded CONF, the wording suggests REP — cue 'reportedly' (attribution) in the quote" in result.output


def test_lint_without_graded_quotes_is_unusable(invoke, tmp_path):
    data = tmp_path / "one.ttl"
    data.write_text('<https://w3id.org/chipkg/id/x> a <https://w3id.org/chipkg/ontology#Company> .\n')
    result = invoke("lint", data)
    assert result.exit_code == 2 and "nothing to lint" in result.output
