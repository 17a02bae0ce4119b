"""The `chipkg export` and `chipkg diff` commands."""

import json
from pathlib import Path

import click
import pyoxigraph as ox

from ..commands import data_files
from ..project import Layout
from ..rdfio import read_quads
from . import export_dataset
from .describe import DEFAULT_BASE
from .diff import changes_text, compare, load_version


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--data", multiple=True, type=click.Path(path_type=Path),
              help="Export these RDF files (with the ontology) instead of the shipped graph.")
@click.option("--base-url", default=DEFAULT_BASE, show_default=True,
              help="Where the files will be downloadable; used for the DCAT download URLs.")
@click.pass_obj
def export(layout: Layout, directory, data, base_url) -> None:
    """Write the whole dataset, deterministically, to DIRECTORY (replaced in one atomic step).

    Does not validate: `chipkg build` validates, then exports.
    """
    # A Dataset is canonicalised in place: the list of quads read is freed at once.
    manifest = export_dataset(ox.Dataset(read_quads(data_files(layout, data))), directory, base_url)
    for entry in manifest["files"]:
        click.echo(f"wrote {Path(directory) / entry['name']} ({entry['bytes']} bytes)")
    click.echo(f"version {manifest['version']}: {manifest['quads']} quads, "
               f"{len(manifest['graphs'])} named graphs")


@click.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff(old, new, fmt) -> None:
    """Claims and deals added, removed or regraded between OLD and NEW (export folders or dumps).

    Exit 0 when nothing changed, 1 when something did, 2 when an input is unusable.
    """
    changes = compare(load_version(old), load_version(new))
    if fmt == "json":
        click.echo(json.dumps(changes.as_json(), indent=2))
    else:
        click.echo(changes_text(changes), nl=False)
    raise SystemExit(1 if changes.any else 0)
