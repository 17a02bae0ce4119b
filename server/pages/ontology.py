"""Where the ontology's IRIs dereference: /ontology and /evidence, HTML or RDF by negotiation.

https://w3id.org/chipkg/ontology#Claim is fetched as /ontology (a client drops the
fragment), so each page answers with the documentation of its whole namespace,
one anchor per term, or with the RDF of its module: /ontology is the whole
ontology (the three files of ontology/), /evidence the evidence module
(ontology/evidence.ttl). Direct negotiation, no redirect: the document is about
terms identified by hash IRIs, so the IRI and the document never need telling
apart (W3C "Cool URIs", hash IRIs). HTML is first among equals, so `*/*` (what
crawlers send) and browsers get the page; `format=` picks a format by name.
The HTML is the same bytes as the committed docs/ontology.html and docs/evidence.html.
"""

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from chipkg.formats import BY_NAME, Format, formats_of
from chipkg.namespaces import PREFIX_IRIS
from chipkg.ontodoc import render_pages

from ..dataset import layout_of
from ..errors import not_acceptable
from ..negotiate import negotiate

blueprint = Blueprint("ontology", __name__)
HTML = "text/html"
MODULES = {"ontology": None, "evidence": "evidence.ttl"}    # None: every file of ontology/


def _offer() -> tuple[list[str], dict[str, Format | None]]:
    types: dict[str, Format | None] = {HTML: None}
    for fmt in formats_of("graph"):
        types[fmt.media_type] = fmt
    for fmt in formats_of("graph"):
        for alias in fmt.aliases:
            types.setdefault(alias, fmt)
    return list(types), types


@lru_cache(maxsize=4)
def _pages(folder: Path) -> dict[str, bytes]:
    files = sorted(folder.glob("*.ttl"))
    return {name: html.encode("utf-8") for name, html in render_pages(files).items()}


@lru_cache(maxsize=32)
def _rdf(folder: Path, page: str, fmt_name: str) -> bytes:
    module = MODULES[page]
    files = [folder / module] if module else sorted(folder.glob("*.ttl"))
    triples = [triple for path in files
               for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    triples.sort(key=str)       # stable bytes for caches and diffs
    return ox.serialize(triples, format=BY_NAME[fmt_name].rdf, prefixes=PREFIX_IRIS) or b""


def _choose(types: dict[str, Format | None], offered: list[str]) -> tuple[bool, Format | None]:
    for value in request.args.getlist("format"):
        value = value.strip().lower()
        if value == "html":
            return True, None
        fmt = BY_NAME.get(value)
        if fmt is not None and fmt.media_type in types:
            return True, fmt
        if value in types:
            return True, types[value]
    chosen = negotiate(request.headers.get("Accept"), offered)
    if chosen is None:
        return False, None
    return True, types[chosen]


def _answer(page: str) -> Response:
    folder = layout_of(current_app.config).root / "ontology"
    offered, types = _offer()
    found, fmt = _choose(types, offered)
    if not found:
        raise not_acceptable([t for t in offered if t == HTML or types[t].media_type == t])
    if fmt is None:
        response = Response(_pages(folder)[page], content_type="text/html; charset=utf-8")
    else:
        response = Response(_rdf(folder, page, fmt.name), content_type=fmt.content_type)
    response.vary.add("Accept")
    response.headers["Link"] = f'</{page}?format=turtle>; rel="alternate"; type="text/turtle"'
    return response


@blueprint.get("/ontology")
def ontology():
    return _answer("ontology")


@blueprint.get("/evidence")
def evidence():
    return _answer("evidence")
