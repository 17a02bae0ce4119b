"""The CI recipes for users' own graphs run the command they claim to run."""

import shlex
import shutil
from xml.etree import ElementTree

import pytest
import yaml
from click.testing import CliRunner

from chipkg.cli import cli


def _workflow_command(layout) -> list[str]:
    workflow = yaml.safe_load((layout.root / "recipes/github-actions/chipkg-validate.yml").read_text())
    runs = [step["run"] for step in workflow["jobs"]["validate"]["steps"] if "run" in step]
    command = next(r for r in runs if r.startswith("chipkg validate"))
    return shlex.split(command)


def _pre_commit_command(layout) -> list[str]:
    hook = yaml.safe_load((layout.root / ".pre-commit-hooks.yaml").read_text())[0]
    return shlex.split(hook["entry"]) + hook["args"]


@pytest.fixture
def user_repository(tmp_path, minimal_graph, fixture_sources, monkeypatch):
    (tmp_path / "graph").mkdir()
    shutil.copy(minimal_graph, tmp_path / "graph" / "deals.ttl")
    shutil.copytree(fixture_sources, tmp_path / "sources")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("recipe", [_workflow_command, _pre_commit_command])
def test_recipe_command_passes_a_valid_graph_and_fails_a_broken_one(layout, user_repository, recipe):
    command = recipe(layout)
    assert command[:2] == ["chipkg", "validate"]
    runner = CliRunner()
    passed = runner.invoke(cli, command[1:])
    assert passed.exit_code == 0, passed.output
    report = ElementTree.parse(user_repository / "reports" / "chipkg-validation.xml").getroot()
    assert report.get("failures") == "0" and int(report.get("tests")) >= 2

    graph = user_repository / "graph" / "deals.ttl"
    graph.write_text(graph.read_text().replace("ck:confidence 0.95 ;\n    prov:wasDerivedFrom ex:wire .",
                                               "prov:wasDerivedFrom ex:wire ."))
    failed = runner.invoke(cli, command[1:])
    assert failed.exit_code == 1
    report = ElementTree.parse(user_repository / "reports" / "chipkg-validation.xml").getroot()
    assert report.get("failures") == "1"
    assert report.find("testcase/failure").get("message").startswith("Give exactly one ck:confidence")
