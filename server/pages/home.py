"""The HTML pages: the query form at / and the HTML view of results."""

from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, current_app, render_template, url_for

from chipkg.formats import formats_of
from chipkg.namespaces import shorten

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
    return render_template(
        "index.html", query=query, formats=formats_of("results") + formats_of("graph"),
        queries=list(state.queries.values()), triples=dataset.triples, graphs=len(dataset.graphs),
        union=config["UNION_DEFAULT_GRAPH"], timeout=f"{config['QUERY_TIMEOUT_SECONDS']:g}",
        max_rows=config["MAX_RESULT_ROWS"])


@blueprint.get("/")
def index():
    return index_page()


def cell(term, endpoint: str = "/sparql") -> tuple[str, str | None, bool]:
    """(text, link, is_literal) for one term; IRIs link to a DESCRIBE of themselves."""
    if term is None:
        return "", None, False
    if isinstance(term, ox.NamedNode):
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
    return {"table": table, "seconds": answer.seconds,
            "cells": [[cell(term, endpoint) for term in row] for row in table.rows],
            "max_rows": current_app.config["MAX_RESULT_ROWS"]}
