"""The CLI commands add-source, compile and lint."""

from pathlib import Path

import click

from ..project import Layout
from ..rdfio import write_atomically

CLAIMS_SUBDIR = "claims"


def claims_dir(layout: Layout, given: Path | None) -> Path:
    return given or layout.root / "kg" / CLAIMS_SUBDIR


@click.command("add-source")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name", help="Name of the source (graph, files, IRIs); default: from the file name.")
@click.option("--title", help="The document's title, as it gives it.")
@click.option("--publisher", help="Who published it (an organization's name).")
@click.option("--url", help="Where it was published.")
@click.option("--language", help="Its language (BCP 47, e.g. en).")
@click.option("--date", "issued", help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD, as precise as known.")
@click.option("--sources", type=click.Path(path_type=Path, file_okay=False),
              help="Sources folder to copy it into (default: $CHIPKG_SOURCES, else ../shared/sources).")
@click.option("--claims-dir", "claims_dir_", type=click.Path(path_type=Path, file_okay=False),
              help="Where the claims file is started (default: kg/claims/).")
@click.pass_obj
def add_source(layout: Layout, file, name, title, publisher, url, language, issued, sources, claims_dir_):
    """Register FILE as a source document and start its claims file.

    What is not given is recorded as unknown, never guessed. Exit 2 when the
    file is missing or not UTF-8, or a different file already has its name.
    """
    from .sources import register
    done = register(file, layout.sources_dir(sources), claims_dir(layout, claims_dir_), name=name,
                    title=title, publisher=publisher, url=url, language=language, issued=issued)
    click.echo(("copied" if done.copied else "already there:") + f" {done.copied_to} (sha256 {done.sha256})")
    click.echo(("started" if done.started else "kept") + f" {done.claims_file}")
    if not title:
        click.echo("note: no --title; write it in the claims file before `chipkg compile`", err=True)


@click.command("compile")
@click.argument("claims", nargs=-1, type=click.Path(path_type=Path))
@click.option("--output-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Where the TriG files go (default: kg/).")
@click.option("--sources", type=click.Path(path_type=Path, file_okay=False), help="Folder of source files.")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL check of the compiled files.")
@click.pass_obj
def compile_(layout: Layout, claims, output_dir, sources, no_validate):
    """Compile claims files (default: kg/claims/*.yaml) into TriG, deterministically.

    Quotes are found in their sources and anchored; the result is validated with
    the shapes (with the ontology) before anything is written. Exit 0 written,
    1 the result does not conform, 2 unusable input.
    """
    from ..validate.reports import render
    from ..validate.run import validate_quads
    from .compiling import compile_files
    paths = [p for given in claims for p in (sorted(given.glob("*.yaml")) if given.is_dir() else [given])]
    if not claims:
        paths = sorted(claims_dir(layout, None).glob("*.yaml"))
    sources_dir = layout.sources_dir(sources)
    outputs = compile_files(paths, sources_dir)
    if not no_validate:
        import pyoxigraph as ox
        quads = [q for f in layout.ontology_files for q in ox.parse(path=f, rename_blank_nodes=True)]
        for text in outputs.values():
            quads.extend(ox.parse(text, format=ox.RdfFormat.TRIG, rename_blank_nodes=True))
        outcome = validate_quads(quads, layout.shapes_files, sources_dir, len(outputs))
        if not outcome.conforms:
            click.echo(render(outcome, "text"), err=True, nl=False)
            raise SystemExit(1)
    target = output_dir or layout.root / "kg"
    target.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(outputs.items()):
        path = target / name
        if path.is_file() and path.read_bytes() == data:
            click.echo(f"unchanged {path}")
            continue
        write_atomically(path, data)
        click.echo(f"wrote {path}")
    # A claims file that was deleted or renamed leaves its old TriG behind, still loaded and
    # still counted: every file this command wrote (its first line says so) and did not write
    # this time goes. Hand-written graph files never carry that line and are left alone.
    for stale in sorted(set(target.glob("*.trig")) - {target / name for name in outputs}):
        if _compiled(stale):
            stale.unlink()
            click.echo(f"removed {stale} (no claims file compiles to it any more)")


COMPILED_MARK = b"# Compiled by `chipkg compile`"


def _compiled(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(len(COMPILED_MARK)) == COMPILED_MARK
