"""`chipkg synth`: deterministic synthetic graphs of the chipkg ontology, for benchmarks.

The same --triples and --seed give a byte-identical file (on one Python version):
everything comes from one `random.Random(seed)` and is written in a fixed order.

What a graph holds, following the modelling pattern of kg/*.trig:
  * one named graph per synthetic source document (a ck:SourceDocument with its
    ck:sha256, title, publisher, reliability, and the prov:Activity that extracted it),
    plus two default-graph triples per source linking the graph to its document;
  * companies (ck:Company) with one to three org:classification roles, chosen with a
    Zipf-like popularity so a few organizations appear in many deals;
  * chips (ck:Chip) with designer, purpose, development stage, milestones, sometimes a
    design partner, a foundry and a family (ck:ChipFamily);
  * deals (ck:Deal) with two or three parties, one or two deal types, evidence level,
    confidence inside the level's band, sometimes value, capacity, term and date;
  * person moves (ck:PersonMove);
  * claims (ck:Claim) about deals, chips, moves and organizations at all five evidence
    levels, each with its verbatim quote (ck:Quote with a TextQuoteSelector and a
    TextPositionSelector) taken from the synthetic text of its source document.

Each entity is described once, in the graph of the first source that mentions it, so
the number of quads written equals the number of distinct triples of the union.
The size is the requested number of triples to within about one claim (~26 triples).
With a sources folder, the text of each document is written there, so quote
verification (`chipkg validate --sources DIR`) checks every quote against real bytes.
"""

import time
from collections.abc import Iterator
from pathlib import Path

from ..rdfio import write_atomically
from .graph import generate
from .terms import Source, Summary, iri_ref

OUTPUT_SUFFIXES = (".nq", ".trig")
MIN_TRIPLES = 100


def _nquads(sources: Iterator[Source]) -> Iterator[bytes]:
    for src in sources:
        g = f" {iri_ref(src.graph)} .\n"
        yield ("".join(f"{t} .\n" for t in src.default) + g.join(src.triples) + g).encode("utf-8")


def _trig(sources: Iterator[Source]) -> Iterator[bytes]:
    yield (b"# Synthetic chipkg graph made by `chipkg synth`: one named graph per source.\n")
    for src in sources:
        body = "".join(f"{t} .\n" for t in src.default)
        body += f"{iri_ref(src.graph)} {{\n" + "".join(f"  {t} .\n" for t in src.triples) + "}\n"
        yield body.encode("utf-8")


def write_synthetic(output: Path, triples: int, seed: int, sources_dir: Path | None = None) -> Summary:
    """Write a synthetic graph (N-Quads or TriG by extension), atomically; return its summary."""
    output = Path(output)
    if output.suffix not in OUTPUT_SUFFIXES:
        raise ValueError(f"output must end in {' or '.join(OUTPUT_SUFFIXES)} (named graphs are kept)")
    began = time.perf_counter()
    sources, summary = generate(triples, seed)
    if sources_dir is not None:
        sources_dir = Path(sources_dir)
        sources_dir.mkdir(parents=True, exist_ok=True)
        sources = _saving(sources, sources_dir)
    write_atomically(output, (_nquads if output.suffix == ".nq" else _trig)(sources))
    summary.seconds = time.perf_counter() - began
    return summary


def _saving(sources: Iterator[Source], folder: Path) -> Iterator[Source]:
    for src in sources:
        path = folder / src.file_name
        data = src.text.encode("utf-8")
        if not (path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data):
            write_atomically(path, data)
        yield src


# ---------------------------------------------------------------- the command

def _command():
    import click

    @click.command()
    @click.option("--triples", "-n", required=True, type=click.IntRange(min=MIN_TRIPLES),
                  help="About how many triples to write (within about one claim, ~26 triples).")
    @click.option("--seed", "-s", default=0, show_default=True, type=click.IntRange(min=0),
                  help="Random seed: the same --triples and --seed give the same bytes.")
    @click.option("--output", "-o", required=True, type=click.Path(path_type=Path, dir_okay=False),
                  help="File to write: .nq (N-Quads, fastest) or .trig. Written atomically.")
    @click.option("--sources-dir", type=click.Path(path_type=Path, file_okay=False),
                  help="Also write each synthetic source document's text here, so "
                       "`chipkg validate --sources DIR` can verify every quote.")
    def synth(triples: int, seed: int, output: Path, sources_dir: Path | None) -> None:
        """Write a deterministic synthetic graph of the chipkg ontology (data only, no ontology).

        Organizations with several roles, chips, deals, person moves and claims at all five
        evidence levels with anchored quotes, one named graph per synthetic source document;
        valid under the shapes. For benchmarks and tests.
        """
        if output.suffix not in OUTPUT_SUFFIXES:
            raise click.BadParameter(f"must end in {' or '.join(OUTPUT_SUFFIXES)}, got {output.name!r}",
                                     param_hint="--output")
        summary = write_synthetic(output, triples, seed, sources_dir)
        levels = ", ".join(f"{k} {v}" for k, v in summary.levels.items())
        click.echo(f"wrote {output}: {summary.triples} triples, {summary.sources} sources (named graphs), "
                   f"{summary.organizations} organizations, {summary.chips} chips, {summary.deals} deals, "
                   f"{summary.moves} person moves, {summary.claims} claims ({levels}) "
                   f"in {summary.seconds:.2f} s", err=True)

    return synth


synth = _command()
