"""The `chipkg` command line: thin commands over the library functions.

Exit codes: 0 success (the data conforms), 1 the data does not conform,
2 unusable input (missing file, syntax error, bad option, nothing to check).
"""

from pathlib import Path

import click

from . import __version__
from .errors import ChipkgError
from .project import Layout


class ChipkgGroup(click.Group):
    """A command group that reports chipkg errors as one line and an exit code."""

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


def _register() -> None:
    from .commands import build, query, stats, validate
    for command in (validate, build, query, stats):
        cli.add_command(command)
    from .synth import synth; cli.add_command(synth)  # noqa: E702 (chipkg synth, for bench/)


_register()
