"""The `chipkg` command line: thin commands over the library functions.

Exit codes: 0 success (the data conforms), 1 the data does not conform,
2 unusable input (missing file, syntax error, bad option, nothing to check).
"""

import importlib
from pathlib import Path

import click

from . import __version__
from .errors import ChipkgError
from .project import Layout

# Loaded on first use, so `chipkg validate` does not pay for importing Flask.
COMMANDS = {
    "validate": "chipkg.commands:validate",
    "build": "chipkg.commands:build",
    "query": "chipkg.commands:query",
    "stats": "chipkg.commands:stats",
    "serve": "chipkg.server.command:serve",
    "push": "chipkg.server.backends.push:push",
    "synth": "chipkg.synth:synth",
    "export": "chipkg.export.command:export",
    "diff": "chipkg.export.command:diff",
    "add-source": "chipkg.evidence.commands:add_source",
    "compile": "chipkg.evidence.commands:compile_",
    "lint": "chipkg.evidence.lint_command:lint",
}


class ChipkgGroup(click.Group):
    """Lazily loaded commands; chipkg errors reported as one line and an exit code."""

    def list_commands(self, context: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, context: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name].split(":")
        return getattr(importlib.import_module(module), attribute)

    def invoke(self, context: click.Context):
        try:
            return super().invoke(context)
        except ChipkgError as error:
            click.echo(f"chipkg: error: {error}", err=True)
            context.exit(error.exit_code)


@click.group(cls=ChipkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="chipkg")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None,
              help="Project folder holding ontology/, kg/, shapes/ and queries/.")
@click.pass_context
def cli(context: click.Context, root: Path | None) -> None:
    """chipkg: an evidence-graded knowledge graph of the AI-chip supply chain."""
    context.obj = Layout(root.resolve()) if root else Layout()
