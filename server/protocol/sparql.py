"""The SPARQL 1.1 Protocol endpoint, /sparql, and `respond`, shared with stored queries.

GET without a query returns the service description (or, to a browser, the
query page). Otherwise: parse the request (`protocol`), check the query
(`guard`), choose the output (`outputs`), rewrite NOT EXISTS (`rewrite`), run
it within the limits (`engine`), and answer with the truncation signal:

    Chipkg-Truncated: true|false     on every query answer
    Chipkg-Row-Limit: N              the MAX_RESULT_ROWS in force
    Chipkg-View: as-of=...; min-evidence=... | none    the evidence view (server/views)
"""

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from chipkg.formats import formats_of

from . import guard, rewrite
from ..description import description_response
from ..hardening import spreadsheet
from .engine import Plan
from ..errors import bad_request
from .outputs import choose_output
from ..pages.home import table_context
from ..views import view_for, view_headers
from .request import parse_request

blueprint = Blueprint("sparql", __name__)

TRUNCATED = "Chipkg-Truncated"
ROW_LIMIT = "Chipkg-Row-Limit"
REWRITES = "Chipkg-Rewrites"


@blueprint.route("/sparql", methods=["GET", "POST"])
def sparql():
    current_app.extensions["chipkg"].ready()
    parsed = parse_request(request, current_app.config["MAX_REQUEST_BYTES"])
    if parsed.query is None:
        if request.method == "GET" and parsed.is_bare:
            if choose_output("graph", parsed.formats, request.headers.get("Accept")) is None:
                # a person at the bare endpoint wants to ask something: send them to the editor
                response = redirect(url_for("editor.page"), 303)
                response.vary.add("Accept")
                return response
            return description_response("sd", parsed.formats)
        raise bad_request("no query given: send query= in the URL or a form body, or POST the query "
                          "as application/sparql-query")
    return respond(parsed.query, formats=parsed.formats, default_graphs=parsed.default_graph_uris,
                   named_graphs=parsed.named_graph_uris)


def _dataset_options(shape: guard.QueryShape, default_graphs, named_graphs) -> dict:
    """Store.query arguments for the dataset: the request's, else the query's, else the default."""
    if default_graphs or named_graphs:
        try:
            return {"default_graph": [ox.NamedNode(iri) for iri in default_graphs],
                    "named_graphs": [ox.NamedNode(iri) for iri in named_graphs]}
        except ValueError as error:
            raise bad_request(f"a graph IRI is not valid: {error}") from None
    if shape.names_dataset or not current_app.config["UNION_DEFAULT_GRAPH"]:
        return {}
    return {"use_default_graph_as_union": True}


def base_iri() -> str:
    """The base IRI relative IRIs of a query resolve against: QUERY_BASE_IRI, else the endpoint's
    own public URL (the SPARQL 1.1 Protocol lets the service choose; its endpoint is the natural
    choice, and what the W3C protocol test `update_base_uri` looks for)."""
    return current_app.config["QUERY_BASE_IRI"] or request.url_root + "sparql"


def respond(query: str, *, formats: tuple[str, ...] = (), default_graphs=(), named_graphs=(),
            substitutions: dict | None = None, html: tuple[str, dict] | None = None,
            ours: bool = False) -> Response:
    """Answer one query in the negotiated format; `html` = (template, context) for the HTML view;
    `ours`: the query text is the server's (a stored query), not a client's."""
    config = current_app.config
    state = current_app.extensions["chipkg"]
    served = state.ready()
    shape = guard.inspect(query, config["MAX_QUERY_DEPTH"], config["SERVICE_ALLOW_LIST"],
                          config["MAX_QUERY_OPERATORS"])
    output = choose_output(shape.kind, formats, request.headers.get("Accept"))
    text, rewrites = rewrite.not_exists_to_minus(shape) if config["REWRITE_NOT_EXISTS"] else (query, 0)
    view = view_for(request)
    if view is not None and (default_graphs or named_graphs or shape.names_dataset):
        raise bad_request("as-of and min-evidence choose the dataset themselves: drop default-graph-uri, "
                          "named-graph-uri, FROM and FROM NAMED, or the view parameters")
    options = dict(view.options) if view is not None else _dataset_options(shape, default_graphs, named_graphs)
    options["base_iri"] = base_iri()
    if substitutions:
        options["substitutions"] = substitutions
    if rewrites:
        state.metrics.inc("not_exists_rewrites_total", rewrites)
    answer = served.engine.run(Plan(text, output, options, view.store if view is not None else None,
                                    killable=not ours))
    if output is None:
        template, context = html or ("results.html", {"query": query, "links": _links(query, shape)})
        response = Response(render_template(template, **context, **table_context(answer),
                                            view_notes=view.notes() if view is not None else []),
                            content_type="text/html; charset=utf-8")
    else:
        response = Response(answer.rendered.body, content_type=answer.rendered.format.content_type)
        if spreadsheet.wants_download(request.args):
            response = spreadsheet.as_download(response, answer.rendered.format.name)
    response.headers[TRUNCATED] = "true" if answer.truncated else "false"
    response.headers[ROW_LIMIT] = str(config["MAX_RESULT_ROWS"])
    response.headers.update(view_headers(view))
    if rewrites:
        response.headers[REWRITES] = f"not-exists-to-minus={rewrites}"
    response.vary.add("Accept")
    return response


def _links(query: str, shape: guard.QueryShape) -> list[tuple[str, str]]:
    if len(query) > 2000:
        return []
    return [(f.name, url_for("sparql.sparql", query=query, format=f.name, download=1))
            for f in formats_of(shape.kind)]
