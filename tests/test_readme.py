"""The docs stay true to the code: every command, setting and stored query is documented."""

import re

from chipkg.cli import cli
from chipkg.queries import stored_queries
from chipkg.rdfio import read_quads
from chipkg.stats import dataset_stats
from chipkg.store import store_of


def test_every_command_is_in_the_readme(layout):
    readme = (layout.root / "README.md").read_text()
    names = cli.list_commands(None)
    assert {"validate", "build", "query", "stats", "serve", "synth"} <= set(names)
    for name in names:
        assert cli.get_command(None, name) is not None, name
        assert f"`chipkg {name}" in readme, f"chipkg {name} is not documented in README.md"


def test_readme_quick_start_commands_exist_and_ci_runs_the_test_one(layout):
    readme = (layout.root / "README.md").read_text()
    commands = re.findall(r"^    (\./scripts/\S+)", readme, re.MULTILINE)
    assert commands == ["./scripts/serve", "./scripts/test"]
    for command in commands:
        assert (layout.root / command).stat().st_mode & 0o111, f"{command} is not executable"
    ci = (layout.root / ".ci/run").read_text()
    assert "exec scripts/test\n" in ci


def test_every_stored_query_has_a_title_and_description(layout):
    queries = stored_queries(layout.queries_dir)
    assert len(queries) >= 3
    for query in queries.values():
        assert query.title and query.description, query.name


def test_readme_names_only_stored_queries_that_exist(layout):
    readme = (layout.root / "README.md").read_text()
    named = set(re.findall(r"--stored ([a-z][a-z-]+)", readme))
    assert named and named <= set(stored_queries(layout.queries_dir))


def test_readme_counts_match_the_graph(layout):
    readme = (layout.root / "README.md").read_text()
    claims, deals = map(int, re.search(r"Its (\d+) claims\s+and (\d+) deals", readme).groups())
    numbers = dataset_stats(store_of(read_quads(layout.ontology_files + layout.graph_files)))
    assert (claims, deals) == (numbers["claims"], numbers["deals"])
