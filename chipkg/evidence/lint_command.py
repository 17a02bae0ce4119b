"""`chipkg lint`: evidence levels checked against the source's hedging words.

Exit 0 when every level agrees with its cues, 1 on any disagreement, 2 when the
input is unusable. `--agreement` adds the agreement per level.
"""

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import click

from ..commands import FILES, data_files
from ..project import Layout
from ..rdfio import read_quads, write_atomically
from ..namespaces import shorten
from .lint import agreement, finding_text, graded_nodes

ORDER = ("CONF", "REP", "SPEC", "UNSUP", "DEN")


@click.command()
@FILES
@click.option("--sources", type=click.Path(path_type=Path), help="Folder of source files, for the sentence around each quote.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit"]), default="text", show_default=True)
@click.option("--agreement", "show_agreement", is_flag=True, help="Also report agreement with the graded levels, per level.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the report to this file (atomically).")
@click.pass_obj
def lint(layout: Layout, files, sources, fmt, show_agreement, output) -> None:
    """Suggest a level for every quoted claim from its cues; report disagreements."""
    nodes = graded_nodes(read_quads(data_files(layout, files)), layout.sources_dir(sources))
    findings = [n for n in nodes if not n.agrees]
    table = agreement(nodes)
    report = {"text": _text, "json": _json, "junit": _junit}[fmt](nodes, findings, table, show_agreement)
    if output:
        write_atomically(output, report.encode("utf-8"))
    else:
        click.echo(report, nl=False)
    raise SystemExit(1 if findings else 0)


def _summary(nodes, findings) -> str:
    return f"{len(nodes) - len(findings)} of {len(nodes)} graded claims agree with their cues; {len(findings)} finding(s)"


def _agreement_lines(table) -> list[str]:
    lines = ["level  graded  agree  rate"]
    for level in ORDER:
        if level in table:
            row = table[level]
            lines.append(f"{level:<6} {row['graded']:>6} {row['agree']:>6}  {row['rate']:.0%}")
    return lines


def _text(nodes, findings, table, show) -> str:
    lines = [finding_text(n) for n in findings]
    if show:
        lines += [""] + _agreement_lines(table)
    return "\n".join(lines + [_summary(nodes, findings)]) + "\n"


def _json(nodes, findings, table, show) -> str:
    data = {"findings": [{"node": shorten(n.node), "claim": shorten(n.claim), "assigned": n.assigned,
                          "suggested": n.suggestion.level, "cue": n.suggestion.cue,
                          "cue_class": n.suggestion.cue_class, "where": n.suggestion.where,
                          "message": finding_text(n)} for n in findings],
            "checked": len(nodes), "summary": _summary(nodes, findings)}
    if show:
        data["agreement"] = table
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _junit(nodes, findings, table, show) -> str:
    suite = ET.Element("testsuite", name="chipkg lint", tests=str(len(nodes)), failures=str(len(findings)))
    for node in nodes:
        case = ET.SubElement(suite, "testcase", classname="cue lexicon", name=shorten(node.node))
        if not node.agrees:
            ET.SubElement(case, "failure", message=finding_text(node))
    return ET.tostring(suite, encoding="unicode") + "\n"
