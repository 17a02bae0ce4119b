"""The CLI commands validate, build, query and stats."""

import json
import sys
from pathlib import Path

import click
import pyoxigraph as ox

from .errors import UnusableInput
from .project import Layout, rdf_files
from .queries import stored_queries
from .rdfio import read_quads, write_atomically
from .validate.cache import cache_dir as cache_folder, validate_with_cache
from .validate.engines import DEFAULT_ENGINE, ENGINES
from .validate.progress import Progress
from .validate.reports import FORMATS, render
from .resultsio import QUERY_FORMATS, write_results
from .stats import dataset_stats, stats_text
from .store import run_query, store_of
from .validate.run import validate_quads

FILES = click.argument("files", nargs=-1, type=click.Path(path_type=Path))


def data_files(layout: Layout, files: tuple[Path, ...]) -> list[Path]:
    """The ontology plus the given files, or plus the shipped graph when none are given.

    A folder stands for the RDF files in it. The ontology always comes along:
    evidence levels, their confidence bands and the term definitions live there,
    and the shapes check against them.
    """
    chosen = [f for given in files for f in (rdf_files(given) if given.is_dir() else [given])]
    if files and not chosen:
        raise UnusableInput(f"no RDF files in {', '.join(map(str, files))}")
    chosen = chosen or layout.graph_files
    if not chosen:
        raise UnusableInput(f"no graph files in {layout.root / 'kg'} and none given")
    return layout.ontology_files + chosen


@click.command()
@FILES
@click.option("--shapes", "shapes", multiple=True, type=click.Path(path_type=Path),
              help="SHACL shapes file(s); default: every file in shapes/.")
@click.option("--sources", type=click.Path(path_type=Path),
              help="Folder of source files, found by sha256 (default: $CHIPKG_SOURCES, "
                   "else ../shared/sources).")
@click.option("--skip-quotes", is_flag=True, help="Do not verify quotes against source files.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write the report to this file (atomically) instead of standard output.")
@click.option("--engine", type=click.Choice(list(ENGINES)), default=DEFAULT_ENGINE, show_default=True,
              help="SHACL engine: the fast Rust one, or pySHACL (the reference; slow on big graphs).")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Validation cache folder (default: $CHIPKG_CACHE_DIR, else "
                   "$XDG_CACHE_HOME/chipkg/validation).")
@click.option("--no-cache", is_flag=True, help="Validate even if the same input was validated before.")
@click.pass_obj
def validate(layout: Layout, files, shapes, sources, skip_quotes, fmt, output, engine, cache_dir,
             no_cache) -> None:
    """Check FILES (default: the shipped graph) with SHACL and quote verification.

    Exit 0 when they conform, 1 on any violation, 2 when the input is unusable.
    A result is kept by the content hash of the whole input, so an unchanged
    graph is not validated again (see docs/validation.md).
    """
    paths = data_files(layout, files)
    outcome, _ = validate_with_cache(
        paths, list(shapes) or layout.shapes_files,
        None if skip_quotes else layout.sources_dir(sources), engine=engine,
        folder=None if no_cache else cache_folder(cache_dir), progress=Progress.for_terminal())
    report = render(outcome, fmt)
    if output:
        write_atomically(output, report.encode("utf-8"))
        click.echo(render(outcome, "text").splitlines()[-1], err=True)
    else:
        click.echo(report, nl=False)
    raise SystemExit(outcome.exit_code)


@click.command()
@FILES
@click.option("--output-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Build folder (default: build/ in the project). Replaced as a whole.")
@click.option("--sources", type=click.Path(path_type=Path), help="Folder of source files.")
@click.pass_obj
def build(layout: Layout, files, output_dir, sources) -> None:
    """Validate, then export ontology + graph (`chipkg export`) with a changelog entry."""
    paths = data_files(layout, files)
    quads = read_quads(paths)
    outcome = validate_quads(quads, layout.shapes_files, layout.sources_dir(sources), len(paths))
    if not outcome.conforms:
        click.echo(render(outcome, "text"), err=True, nl=False)
        raise SystemExit(1)
    from .export import export_dataset     # only a build pays for importing the exporters
    target = output_dir or layout.root / "build"
    dataset = ox.Dataset(quads)
    del quads                   # the export relabels the Dataset in place; no second copy
    manifest = export_dataset(dataset, target)
    for entry in manifest["files"]:
        click.echo(f"wrote {target / entry['name']} ({entry['bytes']} bytes)")
    # The ontology's documentation: in the build and, for the default build of a checkout,
    # in docs/ too, where the committed copy is tested to be current.
    from .ontodoc import write_pages
    docs = layout.root / "docs"
    folders = [target] + ([docs] if output_dir is None and docs.is_dir() else [])
    for folder in folders:
        for path in write_pages(layout.ontology_files, folder):
            click.echo(f"wrote {path}")
    click.echo(f"version {manifest['version']}")


@click.command()
@click.argument("query", required=False)
@click.option("--stored", "stored", help="Run a stored query from queries/ by name.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A stored query parameter; prefixed names such as kg:micron are expanded.")
@click.option("--data", multiple=True, type=click.Path(path_type=Path),
              help="Query these RDF files (with the ontology) instead of the shipped graph.")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True)
@click.pass_obj
def query(layout: Layout, query, stored, params, data, fmt) -> None:
    """Run a SPARQL QUERY (text or a .rq file) against the local graph."""
    if bool(query) == bool(stored):
        raise click.UsageError("give exactly one of QUERY or --stored NAME")
    substitutions = None
    if stored:
        known = stored_queries(layout.queries_dir)
        if stored not in known:
            raise UnusableInput(f"no stored query {stored!r}; known: {', '.join(sorted(known))}")
        text = known[stored].text
        substitutions = known[stored].substitutions(dict(_pair(p) for p in params))
    elif query.endswith(".rq"):
        path = Path(query)
        if not path.is_file():
            raise UnusableInput("no such query file", file=query)
        text = path.read_text(encoding="utf-8")
    else:
        text = query
    store = store_of(read_quads(data_files(layout, data)))
    sys.stdout.flush()
    write_results(run_query(store, text, substitutions), fmt, sys.stdout.buffer)


def _pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise click.UsageError(f"--param wants NAME=VALUE, got {text!r}")
    return name, value


@click.command()
@FILES
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def stats(layout: Layout, files, fmt) -> None:
    """Counts of triples, graphs, entities, claims and deals by evidence level."""
    numbers = dataset_stats(store_of(read_quads(data_files(layout, files))))
    click.echo(stats_text(numbers) if fmt == "text" else json.dumps(numbers, indent=2))
