"""Dereferenceable IRIs: /id/<local> and /graph/<name> answer for the IRIs the data mints.

`PUBLIC_BASE` + `id/<local>` (default https://w3id.org/chipkg/id/<local>) is
answered at /id/<local> on this server, and `PUBLIC_BASE` + `graph/<name>` at
/graph/<name>. One URL, negotiated directly (200, no 303; docs/endpoint.md says
why): a browser or `*/*` gets the HTML page, an RDF client the entity's
description in the format it asks for (the one format table), `format=` or a
suffix (`.ttl`, `.jsonld`, `.nt`, `.rdf`, `.json`, `.html`) override Accept,
and `format=json` gives the page's own content as JSON. Every answer varies on
Accept; an IRI the data does not know is 404, an Accept nothing fits is 406.
"""

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, render_template, request

from chipkg.formats import BY_NAME, Format, formats_of

from ..errors import not_acceptable, not_found
from ..negotiate import negotiate
from . import model, pictures, present
from .queries import QUERIES, select, describe, whole_graph

blueprint = Blueprint("linked", __name__)

HTML, JSON = "text/html", "application/json"
SUFFIXES = {"ttl": "turtle", "nt": "ntriples", "jsonld": "jsonld", "rdf": "rdfxml",
            "trig": "trig", "nq": "nquads", "json": "json", "html": "html"}


def _offered() -> tuple[list[str], dict]:
    """HTML first (so `*/*` and browsers get the page), then RDF, then page JSON, then aliases."""
    rdf = formats_of("graph")
    types: dict[str, object] = {HTML: "html"}
    types.update({f.media_type: f for f in rdf})
    types[JSON] = "json"
    for f in rdf:
        for alias in f.aliases:
            types.setdefault(alias, f)
    return list(types), types


def choose(suffix: str | None) -> Format | str:
    """'html', 'json' or an RDF Format: the suffix, else `format=`, else Accept; 406 if none fits."""
    offered, types = _offered()
    wanted = [SUFFIXES[suffix]] if suffix else request.args.getlist("format")
    for value in wanted:
        value = value.strip().lower()
        if value in ("html", "json"):
            return value
        if value in BY_NAME and BY_NAME[value].kind == "graph":
            return BY_NAME[value]
        if value.split(";")[0].strip() in types:
            return types[value.split(";")[0].strip()]
    if wanted:
        raise not_acceptable(_canonical(offered, types))
    chosen = negotiate(request.headers.get("Accept"), offered)
    if chosen is None:
        raise not_acceptable(_canonical(offered, types))
    return types[chosen]


def _canonical(offered, types) -> list[str]:
    return [t for t in offered if not isinstance(types[t], Format) or types[t].media_type == t]


def _known(iri: str) -> bool:
    bound = {"e": ox.NamedNode(iri)}
    return any(select(name, bound).rows for name in ("exists-subject", "exists-object", "exists-graph"))


def _resolve(space: str, local: str) -> tuple[str, str | None]:
    """The IRI this path names, and the suffix that chose a format (None if none did)."""
    iri = present.data_iri(space, local)
    if _valid(iri) and _known(iri):
        return iri, None
    stem, dot, suffix = local.rpartition(".")
    if dot and suffix in SUFFIXES and stem:
        candidate = present.data_iri(space, stem)
        if _valid(candidate) and _known(candidate):
            return candidate, suffix
    raise not_found(f"{iri} is not in this graph; see /claims or /sparql for what is")


def _valid(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def _headers(response: Response, path: str) -> Response:
    response.vary.add("Accept")
    response.headers["Link"] = ", ".join(
        [f'<{path}.{suffix}>; rel="alternate"; type="{BY_NAME[name].media_type}"'
         for suffix, name in SUFFIXES.items() if name in BY_NAME and BY_NAME[name].kind == "graph"]
        + [f'<{path}.json>; rel="alternate"; type="{JSON}"'])
    return response


def _rdf(answer, path: str) -> Response:
    rendered = answer.rendered
    response = Response(rendered.body, content_type=rendered.format.content_type)
    response.headers["Chipkg-Truncated"] = "true" if rendered.truncated else "false"
    response.headers["Chipkg-Row-Limit"] = str(current_app.config["MAX_RESULT_ROWS"])
    response.headers["Content-Location"] = f"{path}.{_suffix_of(rendered.format)}"
    return _headers(response, path)


def _suffix_of(fmt: Format) -> str:
    return next(s for s, n in SUFFIXES.items() if n == fmt.name)


@blueprint.get("/id/<path:local>")
def entity(local: str):
    iri, suffix = _resolve("id", local)
    path = present.local_path(iri)
    chosen = choose(suffix)
    if isinstance(chosen, Format):
        return _rdf(describe(iri, chosen), path)
    page = model.build(iri)
    if chosen == "json":
        return _headers(jsonify(page.as_json()), path)
    ego = None
    if page.deals:
        edges = [pictures.DealEdge(d.link.iri, d.link.text, d.notation, [t.text for t in d.types],
                                   [(p.iri, p.text) for p in d.parties],
                                   d.announced_by[0].iri if d.announced_by else None)
                 for d in page.deals]
        ego = pictures.ego_network(iri, edges, f"Deals of {page.label}")
    body = render_template("entity.html", page=page, ego=ego, path=path, rdf=_rdf_links(path),
                           description_sparql=QUERIES["description"])
    return _headers(Response(body, content_type="text/html; charset=utf-8"), path)


@blueprint.get("/graph/<name>")
def graph(name: str):
    iri, suffix = _resolve("graph", name)
    path = present.local_path(iri)
    chosen = choose(suffix)
    if isinstance(chosen, Format):
        return _rdf(whole_graph(iri, chosen), path)
    bound = {"g": ox.NamedNode(iri)}
    ran = [select("graph-about", bound), select("graph-levels", bound), select("graph-entities", bound)]
    about = ran[0].rows[0] if ran[0].rows else {}
    info = {
        "iri": iri,
        "label": about.get("label").value if about.get("label") else name,
        "source": present.link(about.get("source"), about.get("sourceLabel")),
        "levels": [{"notation": r["notation"].value, "label": r["levelLabel"].value,
                    "claims": int(r["claims"].value)} for r in ran[1].rows],
        "entities": [{"link": present.link(r["s"], r["label"]), "type": present.text(r["type"])}
                     for r in ran[2].rows],
        "entities_truncated": len(ran[2].rows) >= 500,
    }
    if chosen == "json":
        data = {**info, "source": info["source"] and vars(info["source"]),
                "entities": [{"iri": e["link"].iri, "label": e["link"].text, "type": e["type"]}
                             for e in info["entities"]]}
        return _headers(jsonify(data), path)
    body = render_template("graph.html", g=info, ran=ran, path=path, rdf=_rdf_links(path))
    return _headers(Response(body, content_type="text/html; charset=utf-8"), path)


def _rdf_links(path: str) -> list[tuple[str, str, str]]:
    return [(fmt.name, f"{path}?format={fmt.name}", fmt.media_type)
            for fmt in formats_of("graph") if fmt.name in ("turtle", "jsonld", "ntriples", "rdfxml")]
