"""The README's "Adding a source" example, run exactly as written (in a scratch folder)."""

import json
import re
import shlex
import shutil
from pathlib import Path

from chipkg.server import create_app, load_dataset
from chipkg.server.command import serve
from chipkg.server.config import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent


def _section() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split("## Adding a source", 1)[1].split("\n## ", 1)[0]


def _commands() -> list[list[str]]:
    blocks = re.findall(r"```sh\n(.*?)```", _section(), re.DOTALL)
    return [shlex.split(line) for block in blocks for line in block.splitlines() if line.strip()]


def test_the_readme_example_works_as_written(invoke, tmp_path, monkeypatch):
    fixture = Path("tests/fixtures/sources/northwind-orion-zephyr.txt")
    (tmp_path / fixture.parent).mkdir(parents=True)
    shutil.copy(ROOT / fixture, tmp_path / fixture)
    monkeypatch.chdir(tmp_path)
    commands = _commands()
    assert [c[1] for c in commands] == ["add-source", "compile", "validate", "lint", "query", "serve"]
    assert invoke(*commands[0][1:]).exit_code == 0
    claims = tmp_path / "example/claims/northwind-orion-zephyr.yaml"
    started = claims.read_text()
    assert "entities: {}" in started and "claims: {}" in started
    edit = re.search(r"```yaml\n(.*?)```", _section(), re.DOTALL).group(1)
    claims.write_text(started.split("entities: {}")[0].rsplit("\n# entities", 1)[0] + "\n" + edit)
    for command in commands[1:4]:
        result = invoke(*command[1:])
        assert result.exit_code == 0, (command, result.output)
    history = invoke(*commands[4][1:], "--format", "json")
    assert history.exit_code == 0
    rows = json.loads(history.output)["results"]["bindings"]
    assert [r["notation"]["value"] for r in rows] == ["REP"]
    assert "has reportedly signed" in rows[0]["quotes"]["value"]
    # `chipkg serve` with these options: the same settings, served by the app in process.
    context = serve.make_context("serve", commands[5][2:])
    params = context.params
    settings = {**DEFAULTS, "INCLUDE_SHIPPED_GRAPH": False, "DATA_FILES": list(params["data"]),
                "SOURCES_DIR": str(params["sources"])}
    client = create_app(settings, load_dataset(settings)).test_client()
    query = ("SELECT ?t WHERE { <https://w3id.org/chipkg/id/claim-orion-first-wafers-autumn> "
             "<https://schema.org/text> ?t }")
    for as_of, expected in ((None, 1), ("2026-03-01", 0), ("2026-03-02", 1)):
        args = {"query": query, "format": "json", **({"as-of": as_of} if as_of else {})}
        response = client.get("/sparql", query_string=args)
        assert len(json.loads(response.get_data())["results"]["bindings"]) == expected, as_of
