"""The query page at /query: a SPARQL editor that also works as a plain HTML form.

Without JavaScript, the form GETs /query and this module runs the query (through
`respond`, so the guard, rewrite, limits and truncation signal are those of
/sparql) and renders the results with labels, the run time, downloads in every
format and the error with its line. With JavaScript (static/editor.js) the same
page runs queries against /sparql and completes terms from /-/terms, which lists
this endpoint's own prefixes and terms, never an outside service.

Page queries (terms, labels) go through `_select`, the one place a dataset view
can be applied.
"""

import re
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from chipkg.formats import formats_of
from chipkg.namespaces import KG, PREFIX_IRIS, shorten

from ..errors import SparqlError, bad_request
from ..protocol import guard
from ..protocol.engine import Plan
from ..protocol.sparql import respond

blueprint = Blueprint("editor", __name__)

DEFAULT = """PREFIX ck: <https://w3id.org/chipkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

# Deals with their evidence level, most certain first
SELECT ?deal ?level ?confidence WHERE {
  ?deal a ck:Deal ; ck:confidence ?confidence ; ck:evidenceLevel ?l .
  ?l skos:prefLabel ?level ; ck:rank ?rank .
}
ORDER BY DESC(?rank) DESC(?confidence)"""

# File name extensions of the downloads (the `download` attribute names the saved file).
EXTENSIONS = {"json": "srj", "xml": "srx", "csv": "csv", "tsv": "tsv", "turtle": "ttl",
              "ntriples": "nt", "jsonld": "jsonld", "rdfxml": "rdf", "trig": "trig", "nquads": "nq"}
MAX_LABELS = 1000       # IRIs labelled per request: a results page never shows more
_POSITION = re.compile(r"\bat (\d+):(\d+)")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_KINDS = {
    "class": ("owl:Class", "rdfs:Class"),
    "property": ("owl:ObjectProperty", "owl:DatatypeProperty", "rdf:Property"),
}
_TERMS = """SELECT ?term ?type ?label WHERE {
  { VALUES ?type { owl:Class rdfs:Class owl:ObjectProperty owl:DatatypeProperty rdf:Property
                   skos:Concept skos:ConceptScheme ck:Company ck:Chip ck:ChipFamily ck:Deal
                   schema:Person ck:SourceDocument }
    ?term a ?type }
  UNION { ?term a ?sub . ?sub rdfs:subClassOf skos:Concept . BIND (skos:Concept AS ?type) }
  OPTIONAL { ?term skos:prefLabel ?label } OPTIONAL { ?term rdfs:label ?label }
  FILTER isIRI(?term)
} ORDER BY ?term LIMIT 5000"""


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    text: str


def _select(text: str, substitutions: dict | None = None):
    """Run a page query on the served data; the rows of the Table (pyoxigraph terms)."""
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIX_IRIS.items())
    options = {"use_default_graph_as_union": True}
    if substitutions:
        options["substitutions"] = substitutions
    served = current_app.extensions["chipkg"].ready()
    return served.engine.run(Plan(prologue + text, None, options)).table


def example_text(query) -> str:
    """A stored query as editable text: its parameters' defaults bound by a VALUES block
    at the start of the WHERE clause, where the reader can change them."""
    if not query.params:
        return query.text
    names = " ".join(f"?{p.name}" for p in query.params)
    values = " ".join(str(p.term(None)) for p in query.params)     # N-Triples syntax is SPARQL
    block = (f"\n  # parameters of /queries/{query.name}, here with their defaults\n"
             f"  VALUES ({names}) {{ ({values}) }}")
    match = _WHERE.search(query.text)
    if match is None:
        return query.text
    return query.text[:match.end()] + block + query.text[match.end():]


def examples() -> list[Example]:
    queries = current_app.extensions["chipkg"].queries.values()
    return [Example(q.name, q.title, example_text(q)) for q in queries]


def entity_link(iri: str) -> str | None:
    """Where an IRI's page is on this server: data IRIs at /id/, ontology terms in its docs."""
    if iri.startswith(str(KG)) and len(iri) > len(str(KG)):
        return "/id/" + iri[len(str(KG)):]
    for prefix, page in (("ck", "/ontology"), ("ev", "/evidence")):
        namespace = PREFIX_IRIS[prefix]
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{page}#{iri[len(namespace):]}"
    return None


def labels_of(iris) -> dict[str, str]:
    """rdfs:label / skos:prefLabel of the IRIs (at most MAX_LABELS), bound with VALUES."""
    unique = sorted({i for i in iris if isinstance(i, str)})[:MAX_LABELS]
    if not unique:
        return {}
    try:
        nodes = " ".join(str(ox.NamedNode(iri)) for iri in unique)
    except ValueError as error:
        raise bad_request(f"not an IRI: {error}") from None
    table = _select(f"""SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{
      VALUES ?s {{ {nodes} }}
      {{ ?s skos:prefLabel ?l }} UNION {{ ?s rdfs:label ?l }}
    }} GROUP BY ?s""")
    return {row[0].value: row[1].value for row in table.rows if row[1] is not None}


def labelled_cells(table) -> list[list[dict]]:
    """The HTML cells of a result table: IRIs with their label and a link to their page."""
    labels = labels_of(term.value for row in table.rows for term in row
                       if isinstance(term, ox.NamedNode))
    return [[_cell(term, labels) for term in row] for row in table.rows]


def _cell(term, labels: dict) -> dict:
    if term is None:
        return {"text": ""}
    if isinstance(term, ox.NamedNode):
        short = shorten(term.value)
        return {"text": labels.get(term.value, short), "iri": short,
                "href": entity_link(term.value) or term.value, "kind": "iri"}
    if isinstance(term, ox.Literal):
        note = f"@{term.language}" if term.language else (
            "" if term.datatype.value.endswith("#string") else shorten(term.datatype.value))
        return {"text": term.value, "note": note, "kind": "literal"}
    return {"text": f"_:{term.value}", "kind": "bnode"}


def _error_context(query: str, error: SparqlError) -> dict:
    found = _POSITION.search(error.message)
    if not found:
        return {"message": error.message}
    line, column = int(found.group(1)), int(found.group(2))
    lines = query.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return {"message": error.message, "line": line, "column": column, "text": text}


_OWN = ("query", "format", "example", "load")


def _carried() -> dict[str, str]:
    """The page's other URL parameters (a dataset view such as min-evidence=REP): kept in
    the form, the share link and the downloads, so the view stays what the reader chose."""
    return {key: value for key, value in request.args.items() if key not in _OWN}


def _downloads(query: str, kind: str | None) -> list[tuple[str, str, str]]:
    kinds = [kind] if kind else ["results", "graph"]
    return [(f.name, url_for("sparql.sparql", **_carried(), query=query, format=f.name),
             f"chipkg-results.{EXTENSIONS.get(f.name, f.name)}") for k in kinds for f in formats_of(k)]


def _context(query: str, **extra) -> dict:
    return {"query": query, "examples": examples(), "labelled_cells": labelled_cells,
            "results_formats": [f.name for f in formats_of("results")],
            "graph_formats": [f.name for f in formats_of("graph")], "extensions": EXTENSIONS,
            "share": url_for("editor.page", **_carried(), query=query, _external=True),
            "carried": _carried(), **extra}


@blueprint.get("/query")
def page():
    args = request.args
    chosen = current_app.extensions["chipkg"].queries.get(args.get("example", ""))
    if chosen is not None and (args.get("load") or not args.get("query")):
        text = example_text(chosen)
        return render_template("query-editor.html", **_context(text, example=chosen.name))
    query = args.get("query")
    if not query or not query.strip():
        return render_template("query-editor.html", **_context(DEFAULT))
    formats = tuple(args.getlist("format")) or ("html",)
    config = current_app.config
    try:
        shape = guard.inspect(query, config["MAX_QUERY_DEPTH"], config["SERVICE_ALLOW_LIST"],
                              config["MAX_QUERY_OPERATORS"])
        return respond(query, formats=formats, html=("query-editor.html", _context(
            query, ran=True, downloads=_downloads(query, shape.kind))))
    except SparqlError as error:
        if error.status not in (400, 403) or formats != ("html",):
            raise
        page = render_template("query-editor.html", **_context(
            query, error=_error_context(query, error), status=error.status))
        return page, error.status


@blueprint.get("/-/terms")
def terms():
    """This endpoint's own vocabulary, for completion: prefixes, and terms with labels.
    Computed once per served dataset (the data does not change while it is served)."""
    served = current_app.extensions["chipkg"].ready()
    cache = current_app.extensions.setdefault("chipkg.editor.terms", {})
    if cache.get("served") is not served:
        cache.update(served=served, terms=_terms())
    return jsonify(cache["terms"])


def _terms() -> dict:
    found: dict[str, dict] = {}
    for term, kind, label in _select(_TERMS).rows:
        entry = found.setdefault(term.value, {"iri": term.value, "curie": shorten(term.value),
                                              "kinds": [], "label": None})
        name = _kind_name(shorten(kind.value))
        if name not in entry["kinds"]:
            entry["kinds"].append(name)
        if label is not None and entry["label"] is None:
            entry["label"] = label.value
    return {"prefixes": PREFIX_IRIS, "terms": list(found.values())}


def _kind_name(curie: str) -> str:
    for name, curies in _KINDS.items():
        if curie in curies:
            return name
    return {"skos:Concept": "concept", "skos:ConceptScheme": "scheme"}.get(curie, "entity")


@blueprint.post("/-/labels")
def labels():
    """Labels of the IRIs posted as JSON {"iris": [...]}, for the editor's result table."""
    body = request.get_json(silent=True)
    iris = body.get("iris") if isinstance(body, dict) else None
    if not isinstance(iris, list) or not all(isinstance(i, str) for i in iris):
        raise bad_request('send JSON {"iris": ["https://...", ...]}')
    found = labels_of(iris)
    return jsonify({"labels": found, "links": {iri: entity_link(iri) for iri in iris[:MAX_LABELS]
                                                if entity_link(iri)}})
