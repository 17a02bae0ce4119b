"""Stored queries (queries/*.rq), Datasette style: listed at /queries, run at /queries/<name>.

/queries is an HTML list or, by `format=json` or Accept, JSON with every title,
description, parameter and the SPARQL text. /queries/<name>?param=value runs the
query with its parameters bound by SPARQL substitution (never pasted into the
text) and answers like /sparql: the HTML page (form + results) or any format of
the table, with the same limits and truncation signal.
"""

from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from chipkg.errors import UnusableInput
from chipkg.formats import formats_of

from ..protocol import guard
from ..errors import bad_request, not_acceptable, not_found
from ..negotiate import negotiate
from ..protocol.sparql import respond
from ..views.selection import PARAMS as VIEW_PARAMS

blueprint = Blueprint("queries", __name__)
_LISTING = ["text/html", "application/json"]
CONTROLS = ("format", "download")      # request parameters that are not query parameters


def _describe(query) -> dict:
    return {"name": query.name, "title": query.title, "description": query.description,
            "params": [_param(p) for p in query.params],
            "url": url_for("queries.show", name=query.name, _external=True),
            "sparql": query.text}


def _param(param) -> dict:
    described = {"name": param.name, "kind": param.kind, "default": param.default,
                 "description": param.description}
    if param.levels:
        described["choices"] = [{"value": level.notation, "iri": level.iri, "label": level.label}
                                for level in param.levels]
    return described


@blueprint.get("/queries")
def index():
    queries = list(current_app.extensions["chipkg"].queries.values())
    wanted = request.args.get("format")
    chosen = {"json": "application/json", "html": "text/html"}.get(wanted or "") or negotiate(
        request.headers.get("Accept"), _LISTING)
    if chosen is None:
        raise not_acceptable(_LISTING)
    if chosen == "application/json":
        response = jsonify({"queries": [_describe(q) for q in queries]})
    else:
        response = current_app.make_response(render_template("queries.html", queries=queries))
    response.vary.add("Accept")
    return response


@blueprint.get("/queries/<name>")
def show(name: str):
    state = current_app.extensions["chipkg"]
    query = state.queries.get(name)
    if query is None:
        raise not_found(f"no stored query {name!r}; see /queries")
    values = {key: value for key, value in request.args.items() if key not in CONTROLS + VIEW_PARAMS}
    try:
        substitutions = query.substitutions(values)
    except (UnusableInput, ValueError) as error:      # ValueError: not a valid IRI
        raise bad_request(f"parameter: {error}") from None
    kind = guard.inspect(query.text, current_app.config["MAX_QUERY_DEPTH"], []).kind  # for links
    links = [(f.name, url_for("queries.show", name=name, format=f.name, download=1, **values))
             for f in formats_of(kind)]
    return respond(query.text, formats=tuple(request.args.getlist("format")),
                   substitutions=substitutions, ours=True,
                   html=("query.html", {"q": query, "values": values, "links": links}))
