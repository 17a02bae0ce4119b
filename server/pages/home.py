"""The home page at / (what the graph is, its pictures, entry points, the plain query form)
and the HTML view of results, whose data IRIs link to their pages under their labels."""

from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from chipkg.formats import formats_of
from chipkg.namespaces import shorten

from ..linked import pictures
from ..linked.present import local_path
from ..linked.queries import dataset_cache, labels, select
from ..protocol.engine import Answer

blueprint = Blueprint("pages", __name__)

EXAMPLE = """PREFIX ck: <https://w3id.org/chipkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

# Deals with their evidence level, most certain first
SELECT ?deal ?label ?level WHERE {
  ?deal a ck:Deal ; rdfs:label ?label ; ck:evidenceLevel/skos:prefLabel ?level .
}
ORDER BY ?deal"""


def index_page(query: str = EXAMPLE) -> str:
    state = current_app.extensions["chipkg"]
    dataset = state.ready().dataset
    config = current_app.config
    edges, total = pictures.all_deals()
    return render_template(
        "index.html", network=pictures.home_network(), deals=edges, deals_total=total,
        organizations=_organizations(),
        timeline=pictures.timeline_svg(), timeline_counts=_counts(pictures.events()),
        local_path=local_path,
        query=query, formats=formats_of("results") + formats_of("graph"),
        queries=list(state.queries.values()), triples=dataset.triples, graphs=len(dataset.graphs),
        union=config["UNION_DEFAULT_GRAPH"], timeout=f"{config['QUERY_TIMEOUT_SECONDS']:g}",
        max_rows=config["MAX_RESULT_ROWS"])


@blueprint.get("/")
def index():
    if request.args.get("format") == "json":
        return jsonify(_summary())
    return index_page()


HOME_ORGANIZATIONS = 60     # organizations named on the home page; the claims browser lists all


def _organizations() -> tuple[list[tuple[str, str]], int]:
    """(IRI, label) of the organizations, by label, for the home page's entry points."""
    cache = dataset_cache()
    if "home-organizations" not in cache:
        rows = select("choices-org").rows
        found = [(r["o"].value, r["label"].value if r["label"] else r["o"].value) for r in rows
                 if local_path(r["o"].value)]
        cache["home-organizations"] = (found[:HOME_ORGANIZATIONS], len(found))
    return cache["home-organizations"]


def _counts(found: tuple[list, int]) -> tuple[int, int]:
    return len(found[0]), found[1]


def _summary() -> dict:
    """The home page as JSON: the counts, the deals drawn, the dated events, the entry points."""
    dataset = current_app.extensions["chipkg"].ready().dataset
    edges, total = pictures.all_deals()
    events, events_total = pictures.events()
    return {
        "triples": dataset.triples, "named_graphs": [g for g, _ in dataset.graphs],
        "deals": [{"iri": e.iri, "label": e.label, "level": e.notation, "types": e.types,
                   "parties": [{"iri": iri, "label": label} for iri, label in e.parties]} for e in edges],
        "deals_total": total,
        "events": [{"iri": ev.link.iri, "label": ev.link.text, "kind": ev.kind, "when": ev.when,
                    "from": ev.start.isoformat(), "to": ev.end.isoformat(), "level": ev.notation}
                   for ev in events],
        "events_total": events_total,
        "links": {"claims": url_for("linked_claims.claims"), "queries": url_for("queries.index"),
                  "sparql": url_for("sparql.sparql"), "editor": "/query",
                  "deal_network_svg": url_for("pictures.deal_network_svg"),
                  "timeline_svg": url_for("pictures.timeline_route")}}


def cell(term, endpoint: str = "/sparql", names: dict | None = None) -> tuple[str, str | None, bool]:
    """(text, link, is_literal) for one term. IRIs of the data show their label and link to
    their page; other IRIs show their prefixed name and link to a DESCRIBE of themselves."""
    if term is None:
        return "", None, False
    if isinstance(term, ox.NamedNode):
        page = local_path(term.value)
        if page is not None:
            return (names or {}).get(term.value) or shorten(term.value), page, False
        href = f"{endpoint}?{urlencode({'query': f'DESCRIBE <{term.value}>', 'format': 'html'})}"
        return shorten(term.value), href, False
    if isinstance(term, ox.Literal):
        text = term.value
        if term.language:
            text += f" @{term.language}"
        elif term.datatype.value not in ("http://www.w3.org/2001/XMLSchema#string",):
            text += f" ^^{shorten(term.datatype.value)}"
        return text, None, True
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}", None, False
    return str(term), None, False


def table_context(answer: Answer) -> dict:
    table = answer.table
    endpoint = url_for("sparql.sparql")
    names = labels(term for row in table.rows for term in row if local_path_of(term))
    return {"table": table, "seconds": answer.seconds,
            "cells": [[cell(term, endpoint, names) for term in row] for row in table.rows],
            "max_rows": current_app.config["MAX_RESULT_ROWS"]}


def local_path_of(term) -> str | None:
    return local_path(term.value) if isinstance(term, ox.NamedNode) else None
