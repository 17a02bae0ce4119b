"""Property-based fuzzing of the HTTP layer: the strategies and the invariant, shared by the
bounded CI run (test_fuzz.py) and the long run (bench/fuzz.py).

A request is a method, a path (every rule of `app.url_map`, its arguments filled with hostile
text, or any path), query-string parameters (the protocol's and others, values with control
characters, bad percent-escapes, SPARQL fragments), a body with a media type and charset, and
an Accept header. The invariant: the answer is 2xx, 3xx or 4xx, and every error is in the
documented shape (JSON `{"ok": false, "status", "error"}` or `N Reason: message`); the only
5xx allowed is the documented overload answer, 503 with Retry-After. The server stays healthy.
"""

import json
from http import HTTPStatus
from urllib.parse import quote

import pyoxigraph as ox
from hypothesis import strategies as st

from chipkg.server import create_app
from chipkg.server.dataset import dataset_of

METHODS = ["GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH", "TRACE"]
NAMES = ["query", "format", "default-graph-uri", "named-graph-uri", "update", "download",
         "using-graph-uri", "org", "level", "Query", "", "x", "query[]", "\u0000", "%"]
FORMATS = ["json", "xml", "csv", "tsv", "html", "turtle", "jsonld", "nquads", "trig", "ntriples",
           "rdfxml", "application/sparql-results+json", "text/html", "*/*", "nonsense", ""]
TOKENS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "[", "]", "?s",
          "?p", "?o", "*", ".", ";", ",", "FILTER", "NOT", "EXISTS", "MINUS", "OPTIONAL", "UNION",
          "SERVICE", "1SERVICE", "<http://127.0.0.1:1/sparql>", "SILENT", "GRAPH", "VALUES",
          "BIND", "AS", "FROM", "NAMED", "<s>", "<http://example.org/p>", '"x"', "'''y'''", "1",
          "1.5e3", "true", "a", "ex:p", "PREFIX", "ex:", "<http://example.org/>", "BASE",
          "REGEX(?o, \"(a+)+$\")", "LIMIT", "10", "ORDER", "BY", "GROUP", "COUNT(*)",
          "INSERT", "DATA", "DELETE", "CLEAR", "LOAD", "#", "\n", "|", "^", "/", "!", "+", "?",
          "<http://example.org/f>(1)", "STR(?o)", "\\u0041", "\u00e9", "\ufffd", "\u0000"]
MEDIA = ["application/sparql-query", "application/x-www-form-urlencoded",
         "application/sparql-update", "text/plain", "application/json", "multipart/form-data",
         "", "application/sparql-query; charset=utf-16", "application/sparql-query; charset=utf-8",
         "application/x-www-form-urlencoded; charset=latin-1", "application/sparql-query;;;=",
         "text/turtle", "*/*"]
ACCEPTS = ["", "*/*", "application/json", "text/html", "text/csv", "text/turtle",
           "application/sparql-results+json;q=0", "text/*;q=0.5, application/xml", "image/png",
           "application/json;q=abc", ";;;", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"]

sparql_text = st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join)
hostile_text = st.one_of(
    sparql_text,
    st.text(max_size=60),
    st.sampled_from(["%", "%zz", "%E9", "%C3", "%00", "\r\nX-Injected: 1", "../../etc/passwd",
                     "<script>alert(1)</script>", "ck:x", "kg:broadcom", "http://e/x", ""]),
)
parameters = st.lists(st.tuples(st.one_of(st.sampled_from(NAMES), st.text(max_size=8)),
                                st.one_of(hostile_text, st.sampled_from(FORMATS))), max_size=5)


def tiny_app():
    """The endpoint over a handful of triples: no query the fuzzer builds can run long."""
    store = ox.Store()
    ex = "http://example.org/"
    for i in range(4):
        store.add(ox.Quad(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(ex + "p"), ox.Literal(f"o{i}"),
                          ox.NamedNode(ex + "g")))
    store.add(ox.Quad(ox.NamedNode(ex + "s0"), ox.NamedNode(ex + "p"), ox.NamedNode(ex + "s1")))
    return create_app({"QUERY_TIMEOUT_SECONDS": 5.0, "LOG_REQUESTS": False}, dataset_of(store))


def paths(app):
    """Every route of the app with its arguments filled, and some that match no route."""
    rules = [r.rule for r in app.url_map.iter_rules()]
    names = list(app.extensions["chipkg"].queries)

    def fill(rule: str, values: list[str]) -> str:
        out = rule
        for value in values:
            start = out.find("<")
            if start < 0:
                break
            out = out[:start] + quote(value, safe="/") + out[out.index(">", start) + 1:]
        return out

    filled = st.builds(fill, st.sampled_from(rules),
                       st.lists(st.one_of(st.sampled_from(names or ["x"]), hostile_text),
                                min_size=2, max_size=2))
    return st.one_of(filled, st.sampled_from(["/nothing", "//sparql", "/sparql/", "/-/", "/%2e%2e/"]))


def requests(app):
    return st.fixed_dictionaries({
        "method": st.sampled_from(METHODS),
        "path": paths(app),
        "params": parameters,
        "body": st.one_of(st.none(), sparql_text.map(str.encode), st.binary(max_size=200),
                          parameters.map(lambda ps: "&".join(f"{quote(k)}={quote(v)}" for k, v in ps).encode())),
        "content_type": st.sampled_from(MEDIA),
        "accept": st.sampled_from(ACCEPTS),
    })


def send(client, request):
    query_string = "&".join(f"{quote(k, safe='%')}={quote(v, safe='%')}" for k, v in request["params"])
    headers = {"Accept": request["accept"]} if request["accept"] else {}
    kwargs = {}
    if request["body"] is not None and request["method"] not in ("GET", "HEAD"):
        kwargs = {"data": request["body"], "content_type": request["content_type"] or None}
    return client.open(request["path"] + ("?" + query_string if query_string else ""),
                       method=request["method"], headers=headers, **kwargs)


def check(request, response) -> None:
    """The invariant: no unexpected 5xx, and every error in the documented shape."""
    status = response.status_code
    assert status < 500 or (status == 503 and response.headers.get("Retry-After")), (
        status, request, response.get_data()[:300])
    if status < 400 or request["method"] == "HEAD":
        return
    if response.mimetype == "application/json":
        body = json.loads(response.get_data())
        assert body["ok"] is False and body["status"] == status and isinstance(body["error"], str)
    else:
        assert response.mimetype == "text/plain", (status, response.mimetype)
        assert response.get_data(as_text=True).startswith(f"{status} {HTTPStatus(status).phrase}: ")
