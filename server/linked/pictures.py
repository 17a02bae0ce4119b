"""Pictures as SVG, readable without JavaScript: the deal network and the timeline.

The deal network is laid out by Graphviz `dot` (DOT_PROGRAM), run as a
subprocess with a time limit on DOT text written here with every data label
escaped; organizations are nodes linking to their pages, deals are edges
coloured by evidence level and dashed below "reported". If `dot` is missing or
fails, the picture says so and the pages carry on (the table twin has the
same deals). The timeline is drawn by a Jinja template (`timeline.svg`,
autoescaped), each date at its precision: a month is a month-long bar, a year
a year-long one. Both depend only on the data, so each is kept per dataset.
"""

import re
import subprocess
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Blueprint, Response, current_app, render_template
from markupsafe import Markup

from . import present
from .queries import dataset_cache as _cache, select

blueprint = Blueprint("pictures", __name__)


@dataclass
class DealEdge:
    iri: str
    label: str
    notation: str | None
    types: list = field(default_factory=list)
    parties: list = field(default_factory=list)    # (iri, label), in order
    hub: str | None = None                          # the party that announced it, if any

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Edges drawn for the deal: from its announcer (else first party) to every other party."""
        iris = [iri for iri, _ in self.parties]
        hub = self.hub if self.hub in iris else (iris[0] if iris else None)
        return [(hub, other) for other in iris if other != hub]


@dataclass
class Picture:
    svg: Markup | None
    problem: str | None
    shown: int
    total: int


def all_deals() -> tuple[list[DealEdge], int]:
    """Every deal with its parties, up to PICTURE_MAX_ITEMS deals (most certain first)."""
    cache = _cache()
    if "deals" not in cache:
        edges: dict[str, DealEdge] = {}
        for row in select("network").rows:
            key = row["deal"].value
            edge = edges.get(key)
            if edge is None:
                edge = edges[key] = DealEdge(
                    key, row["label"].value if row["label"] else present.text(row["deal"]),
                    row["notation"].value if row["notation"] else None,
                    hub=row["announcer"].value if row["announcer"] else None)
            party = (row["party"].value, row["partyLabel"].value if row["partyLabel"]
                     else present.text(row["party"]))
            if party not in edge.parties:
                edge.parties.append(party)
            if row["typeLabel"] is not None and row["typeLabel"].value not in edge.types:
                edge.types.append(row["typeLabel"].value)
        order = {n: i for i, n in enumerate(present.LEVELS)}
        ranked = sorted(edges.values(), key=lambda e: (order.get(e.notation, 9), e.iri))
        limit = current_app.config["PICTURE_MAX_ITEMS"]
        cache["deals"] = (ranked[:limit], len(ranked))
    return cache["deals"]


def home_network() -> Picture:
    cache = _cache()
    if "network" not in cache:
        edges, total = all_deals()
        cache["network"] = network(edges, "Deal network: organizations and the deals between them",
                                   total)
    return cache["network"]


EGO_CACHE_SIZE = 512    # entity pages whose small network is kept; past it the oldest go


def ego_network(iri: str, edges: list[DealEdge], title: str) -> Picture:
    """The small network on an entity page, drawn once per dataset and entity."""
    kept = _cache().setdefault("ego", {})
    if iri not in kept:
        if len(kept) >= EGO_CACHE_SIZE:
            kept.pop(next(iter(kept)))
        kept[iri] = network(edges, title)
    return kept[iri]


def dot_string(value: str) -> str:
    """A DOT double-quoted string: backslashes (dot's own escapes) and quotes escaped."""
    cleaned = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\r\n]+", " ", cleaned) + '"'


def dot_text(edges: list[DealEdge], title: str) -> str:
    # Node names are the labels (made unique), quoted: dot writes a node's name into its SVG
    # <title> and an edge's as "A->B", which is what a screen reader then says.
    nodes: dict[str, str] = {}
    labels: dict[str, str] = {}
    taken: set[str] = set()
    for edge in edges:
        for iri, label in edge.parties:
            if iri not in nodes:
                name = label if label not in taken else f"{label} ({len(nodes) + 1})"
                taken.add(name)
                nodes[iri], labels[iri] = dot_string(name), label
    lines = [f"digraph {dot_string(title)} {{",
             '  graph [rankdir=LR, bgcolor="transparent", fontname="Helvetica", nodesep=0.3];',
             '  node [shape=box, style="rounded,filled", fillcolor="#f6f8fa", color="#57606a", '
             'fontname="Helvetica", fontsize=11];',
             '  edge [fontname="Helvetica", fontsize=9, arrowhead=none];']
    for iri, name in nodes.items():
        href = present.local_path(iri) or ""
        lines.append(f"  {name} [label={dot_string(labels[iri])}, URL={dot_string(href)}, "
                     f"tooltip={dot_string(labels[iri])}, target=\"_top\"];")
    for edge in edges:
        colour = present.LEVEL_COLOURS.get(edge.notation, present.LEVEL_COLOURS[None])
        style = "dashed" if edge.notation in present.BELOW_REPORTED or edge.notation is None else "solid"
        label = ", ".join(edge.types) or "deal"
        href = present.local_path(edge.iri) or ""
        tip = f"{edge.label} ({edge.notation or 'no level'})"
        for a, b in edge.pairs:
            lines.append(f"  {nodes[a]} -> {nodes[b]} [label={dot_string(label)}, color={dot_string(colour)}, "
                         f"fontcolor={dot_string(colour)}, style={style}, penwidth=1.6, "
                         f"URL={dot_string(href)}, tooltip={dot_string(tip)}, target=\"_top\"];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def network(edges: list[DealEdge], title: str, total: int | None = None) -> Picture:
    total = len(edges) if total is None else total
    if not edges:
        return Picture(None, "There are no deals to draw", 0, total)
    svg, problem = run_dot(dot_text(edges, title), title)
    return Picture(svg, problem, len(edges), total)


def run_dot(text: str, title: str) -> tuple[Markup | None, str | None]:
    program = current_app.config["DOT_PROGRAM"]
    seconds = current_app.config["DOT_TIMEOUT_SECONDS"]
    try:
        done = subprocess.run([program, "-Tsvg"], input=text.encode("utf-8"), capture_output=True,
                              timeout=seconds, check=False)
    except FileNotFoundError:
        return None, (f"The picture cannot be drawn: Graphviz's dot program ({program}) is not "
                      "installed on this server (scripts/debian-packages installs graphviz)")
    except subprocess.TimeoutExpired:
        return None, f"The picture cannot be drawn: dot took longer than {seconds:g} s"
    except OSError as error:
        return None, f"The picture cannot be drawn: dot could not be run ({error.strerror})"
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
        return None, "The picture cannot be drawn: dot failed" + (f" ({reason[0]})" if reason else "")
    return _inline(done.stdout.decode("utf-8"), title), None


def _inline(svg: str, title: str) -> Markup:
    """dot's SVG made fit for inlining: no XML prolog, doctype or comments; a name and a
    description for screen readers (escaped here: the title can hold a label)."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    head = svg.index(">") + 1
    named = str(Markup('<svg role="group" aria-label="{}" ').format(title))
    text = str(Markup("<title>{}</title><desc>{}</desc>").format(title, DESCRIPTION))
    return Markup(svg[:head].replace("<svg ", named, 1) + text + svg[head:])


DESCRIPTION = ("Organizations are boxes linking to their pages; each deal is an edge between its "
               "parties, coloured by evidence level, dashed below reported, labelled with the deal "
               "type. The table after the picture lists the same deals.")


# ---------------------------------------------------------------- timeline

@dataclass
class Event:
    link: present.Link
    kind: str
    when: str           # as read: "April 2026"
    start: date
    end: date           # last day covered
    notation: str | None


def events() -> tuple[list[Event], int]:
    cache = _cache()
    if "events" not in cache:
        found = []
        for row in select("events").rows:
            span = present.date_span(row["date"].value, row["date"].datatype.value)
            if span is None:
                continue
            found.append(Event(present.link(row["what"], row["label"]), row["kind"].value,
                               present.text(row["date"]), span[0], span[1],
                               row["notation"].value if row["notation"] else None))
        limit = current_app.config["PICTURE_MAX_ITEMS"]
        cache["events"] = (found[:limit], len(found))
    return cache["events"]


def timeline_svg() -> Markup | None:
    cache = _cache()
    if "timeline" not in cache:
        shown, _ = events()
        cache["timeline"] = Markup(render_template("timeline.svg", **_layout(shown))) if shown else None
    return cache["timeline"]


WIDTH, LEFT, RIGHT, ROW, TOP = 960, 20, 20, 24, 40


def _layout(shown: list[Event]) -> dict:
    first = date(min(e.start for e in shown).year, 1, 1)
    last = date(max(e.end for e in shown).year + 1, 1, 1)
    days = (last - first).days
    scale = (WIDTH - LEFT - RIGHT) / days

    def x(day: date) -> float:
        return round(LEFT + (day - first).days * scale, 1)

    rows = []
    for i, event in enumerate(shown):
        x0, x1 = x(event.start), x(event.end + timedelta(days=1))
        rows.append({"event": event, "x": x0, "width": max(round(x1 - x0, 1), 3.0),
                     "y": TOP + i * ROW, "text_x": x0 if x0 < WIDTH * 0.6 else x1,
                     "anchor": "start" if x0 < WIDTH * 0.6 else "end",
                     "colour": present.LEVEL_COLOURS.get(event.notation, present.LEVEL_COLOURS[None]),
                     "dashed": event.notation in present.BELOW_REPORTED})
    ticks = []
    month = first
    while month < last:
        ticks.append({"x": x(month), "year": month.month == 1,
                      "text": str(month.year) if month.month == 1 else present.MONTHS[month.month][:3]})
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return {"rows": rows, "ticks": ticks, "width": WIDTH, "height": TOP + len(rows) * ROW + 10,
            "axis_y": TOP - 18, "show_months": days <= 3 * 366}


def _svg_response(svg: str | None, problem: str) -> Response:
    if svg is None:
        body = render_template("unavailable.svg", problem=problem)
        return Response(body, content_type="image/svg+xml; charset=utf-8")
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + str(svg)
    return Response(text, content_type="image/svg+xml; charset=utf-8")


@blueprint.get("/pictures/deal-network.svg")
def deal_network_svg():
    picture = home_network()
    return _svg_response(picture.svg, picture.problem or "")


@blueprint.get("/pictures/timeline.svg")
def timeline_route():
    return _svg_response(timeline_svg(), "There are no dated events to draw")
