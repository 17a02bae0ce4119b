"""Hostile input (issue 10, item 4), each case with its exact outcome; none gives a 5xx.

The slow cases that need a real server (timeouts that free the CPU, others still answered)
are in test_hostile_e2e.py; files the CLI reads are in tests/test_hostile_files.py.
"""

import csv
import io
import re
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from endpoint_helpers import backends_except

from chipkg.server import create_app
from chipkg.server.dataset import dataset_of

from hostile_helpers import (LEAKS, NAMED_ROUTES, TRAVERSALS, XSS, Listener, active_content,
                             html_views)

EX = "http://example.org/"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
JS_IRI = "javascript:alert(4)"          # a valid IRI: must never become a link target
FORMULA = '=HYPERLINK("http://evil.example/","click")'


@pytest.fixture(scope="module")
def hostile():
    """A dataset whose labels, literals and IRIs are attacks on the pages that show them."""
    store = ox.Store()
    subject = ox.NamedNode(EX + "thing")
    for obj in (ox.Literal(XSS), ox.Literal(XSS, language="en"), ox.Literal(FORMULA),
                ox.Literal("-2+3"), ox.Literal("@SUM(A1)"), ox.Literal("-42"),
                ox.NamedNode(JS_IRI)):
        store.add(ox.Quad(subject, RDFS_LABEL, obj, ox.NamedNode(EX + "graph")))
    store.add(ox.Quad(ox.NamedNode(JS_IRI), RDFS_LABEL, ox.Literal(XSS)))
    return dataset_of(store)


@pytest.fixture(scope="module")
def hostile_client(hostile):
    return create_app({"FAIR_REQUESTS_PER_MINUTE": 0, "FAIR_QUERY_SECONDS_PER_MINUTE": 0},
                      hostile).test_client()


# --- SERVICE: refused before anything connects ---

@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.close()


SERVICE_QUERIES = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ SERVICE#comment\n<{url}> {{ ?s ?p ?o }} }}",
    "PREFIX remote: <{url}> SELECT * WHERE {{ SERVICE remote: {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    # glued to a number or keyword: Oxigraph splits these into 1 / true and SERVICE
    "SELECT * WHERE {{ ?a ?b 1SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?a ?b 1.0SeRvIcE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?a ?b 1e0SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?a ?b trueSERVICE <{url}> {{ ?s ?p ?o }} }}",
]
LOOPBACK_FORMS = ["http://127.0.0.1:{port}/sparql", "http://localhost:{port}/sparql",
                  "http://127.1:{port}/", "http://2130706433:{port}/", "http://0x7f000001:{port}/",
                  "http://0.0.0.0:{port}/", "http://[::ffff:127.0.0.1]:{port}/"]
PRIVATE = ["http://10.0.0.1/sparql", "http://192.168.1.1/", "http://172.16.0.1/",
           "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://[::1]/",
           "file:///etc/passwd"]


@pytest.mark.parametrize("template", SERVICE_QUERIES)
@pytest.mark.parametrize("form", LOOPBACK_FORMS)
def test_service_to_loopback_is_refused_without_connecting(shipped, listener, template, form):
    client = create_app({}, shipped).test_client()
    url = form.format(port=listener.port)
    response = client.get("/sparql", query_string={"query": template.format(url=url)},
                          headers={"Accept": "application/json"})
    assert response.status_code == 403, response.data
    assert "SERVICE" in response.json["error"]
    assert listener.connections == []


@pytest.mark.parametrize("url", PRIVATE)
def test_service_to_private_and_link_local_addresses_is_refused(client, url):
    response = client.get("/sparql", query_string={"query": SERVICE_QUERIES[0].format(url=url)})
    assert response.status_code == 403 and b"not allowed" in response.data


@backends_except("virtuoso", reason="Virtuoso refuses SERVICE to its anonymous SPARQL user (SQ070)")
def test_the_listener_does_record_a_call_that_is_allowed(shipped, listener):
    """The control: the same query to an allow-listed endpoint really connects."""
    url = f"http://127.0.0.1:{listener.port}/sparql"
    client = create_app({"SERVICE_ALLOW_LIST": [url]}, shipped).test_client()
    response = client.get("/sparql", query_string={"query": SERVICE_QUERIES[0].format(url=url)})
    assert response.status_code == 502 and len(listener.connections) == 1


def test_allow_list_matches_the_endpoint_exactly(shipped, listener):
    url = f"http://127.0.0.1:{listener.port}/sparql"
    client = create_app({"SERVICE_ALLOW_LIST": [url]}, shipped).test_client()
    for other in (url + "/", url + "?x=1", url.upper(), url + "#", url.replace("sparql", "spar%71l")):
        response = client.get("/sparql", query_string={"query": SERVICE_QUERIES[0].format(url=other)})
        assert response.status_code == 403, other
    assert listener.connections == []


# --- regular expressions, huge and deep queries ---

@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|aa)+$", "(a*)*b", "^(([a-z])+.)+[A-Z]([a-z])+$"])
@backends_except("virtuoso", reason="Virtuoso's own regex engine: its answers to these patterns differ")
def test_catastrophic_regex_is_linear(client, pattern):
    """Oxigraph's regex engine does not backtrack: the classic ReDoS patterns answer at once."""
    query = f'ASK {{ FILTER(REGEX("{"a" * 50_000}!", "{pattern}")) }}'
    response = client.post("/sparql", data=query, content_type="application/sparql-query",
                           headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200 and response.json["boolean"] is False


@backends_except("virtuoso", reason="Virtuoso's own regex engine compiles what Oxigraph's refuses")
def test_regex_too_big_to_compile_is_an_evaluation_error_not_a_crash(client):
    query = 'SELECT ?x WHERE { BIND(REGEX("a", "((a{1000}){1000}){1000}") AS ?x) }'
    response = client.get("/sparql", query_string={"query": query},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200 and response.json["results"]["bindings"] == [{}]


def test_unknown_extension_function_is_400_naming_it(client):
    query = "SELECT ?x WHERE { BIND(<http://example.org/fn>(1) AS ?x) }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/json"})
    assert response.status_code == 400 and "<http://example.org/fn>" in response.json["error"]


@pytest.mark.parametrize("query, status, says", [
    ("SELECT * WHERE " + "{" * 10_000 + "}" * 10_000, 400, "nested 10000 levels"),
    ("ASK { FILTER(" + "(" * 129 + "1" + ")" * 129 + ") }", 400, "levels deep"),
    ("ASK { FILTER(" + " || ".join(["true"] * 20_000) + ") }", 400, "operators"),
    ("ASK {} " + "#" + "x" * 999_000, 200, None),                     # a big comment is fine
    ("ASK { FILTER(STRLEN(\"" + "x" * 900_000 + "\") > 0) }", 200, None),
    ("SELECT * WHERE { VALUES ?x { " + " ".join(str(i) for i in range(50_000)) + " } } LIMIT 1",
     200, None),
    ("PREFIX " + " PREFIX ".join(f"p{i}: <http://e/{i}/>" for i in range(20_000)) + " ASK {}",
     200, None),
])
def test_huge_and_deep_queries(client, query, status, says):
    response = client.post("/sparql", data=query.encode(), content_type="application/sparql-query",
                           headers={"Accept": "application/json"})
    assert response.status_code == status, response.data[:300]
    if says:
        assert says in response.json["error"]


def test_bodies_and_urls_over_the_limit(client):
    big = "ASK {} #" + "x" * 1_000_001
    assert client.post("/sparql", data=big, content_type="application/sparql-query").status_code == 413
    assert client.post("/sparql", data={"query": big}).status_code == 413
    assert client.get("/sparql?query=" + quote(big)).status_code == 414


# --- duplicate and conflicting parameters ---

@pytest.mark.parametrize("send, status", [
    (lambda c: c.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D"), 400),
    (lambda c: c.get("/sparql?query=ASK%7B%7D&query="), 400),
    (lambda c: c.post("/sparql?query=ASK%7B%7D", data="ASK {}", content_type="application/sparql-query"), 400),
    (lambda c: c.post("/sparql?query=ASK%7B%7D", data={"query": "ASK {}"}), 400),
    (lambda c: c.post("/sparql?format=json", data={"query": "ASK {}", "format": "xml"}), 400),
    (lambda c: c.get("/sparql?query=ASK%7B%7D&update=CLEAR%20ALL"), 403),
    (lambda c: c.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"}), 403),
    (lambda c: c.get("/sparql?query=ASK%7B%7D&default-graph-uri=not%20an%20iri"), 400),
    (lambda c: c.get("/sparql?query=ASK%7B%7D&named-graph-uri="), 400),
    (lambda c: c.get("/queries/deals-by-evidence?level=x&level=y"), 400),
], ids=["two queries", "one empty", "URL and body", "URL and form", "format in both",
        "query and update", "form with update", "bad graph IRI", "empty graph IRI",
        "stored query, a parameter twice"])
def test_duplicate_and_conflicting_parameters(client, send, status):
    response = send(client)
    assert response.status_code == status, response.data


def test_repeated_format_takes_the_first_that_fits(client):
    response = client.get("/sparql?query=ASK%7B%7D&format=tsv-nonsense&format=xml&format=json")
    assert response.status_code == 200 and response.mimetype == "application/sparql-results+xml"


# --- header injection ---

CRLF = ["\r\nX-Injected: 1", "\nX-Injected: 1", "\rX-Injected: 1", "%0d%0aX-Injected:%201",
        "json\r\nSet-Cookie: a=b"]


@pytest.mark.parametrize("payload", CRLF)
@pytest.mark.parametrize("target", [
    "/sparql?query=ASK%7B%7D&format={}", "/sparql?query={}", "/sparql?format={}",
    "/sparql?query=ASK%7B%7D&default-graph-uri=http://e/{}", "/queries?format={}",
    "/queries/deals-by-evidence?format={}", "/queries/claims-about?org={}", "/{}", "/queries/{}",
    "/sparql?query=ASK%7B%7D&download=1&format=csv&x={}",
])
def test_no_parameter_reaches_a_header(client, target, payload):
    response = client.get(target.format(quote(payload, safe="%")))
    assert response.status_code < 500
    assert "X-Injected" not in response.headers and "Set-Cookie" not in response.headers
    for name, value in response.headers.items():
        assert "\r" not in value and "\n" not in value, name


# --- path traversal on every route that takes a name ---

@pytest.mark.parametrize("route", NAMED_ROUTES)
@pytest.mark.parametrize("name", TRAVERSALS)
def test_path_traversal(client, route, name):
    response = client.get(route.format(name))
    if response.status_code == 308:         # werkzeug merges "//": it redirects within the site
        assert response.headers["Location"].startswith(("/", "http://localhost/"))
        response = client.get(route.format(name), follow_redirects=True)
    assert response.status_code in (400, 404), (route, name, response.status_code)
    assert not any(leak in response.data for leak in LEAKS)


# --- XSS through data, in every HTML view ---

@pytest.mark.parametrize("path", html_views(EX + "thing"))
def test_no_script_from_data_or_request_reaches_a_page(hostile_client, path):
    response = hostile_client.get(path, headers={"Accept": "text/html"})
    assert response.status_code in (200, 400), response.data[:300]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    if response.mimetype == "text/html":
        assert active_content(response.get_data(as_text=True)) == []


def test_the_hostile_data_is_shown_escaped(hostile_client):
    page = hostile_client.get(html_views(EX + "thing")[2], headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.get_data(as_text=True)


# --- CSV: exact on the protocol, neutralised in downloads for people ---

SELECT_LABELS = "SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"


def test_protocol_csv_keeps_every_value_exact(hostile_client):
    response = hostile_client.get("/sparql", query_string={"query": SELECT_LABELS},
                                  headers={"Accept": "text/csv"})
    values = {row[0] for row in csv.reader(io.StringIO(response.get_data(as_text=True)))}
    assert {FORMULA, "-2+3", "@SUM(A1)", "-42"} <= values
    assert "Content-Disposition" not in response.headers


def test_download_neutralises_formulas_for_spreadsheets(hostile_client):
    response = hostile_client.get("/sparql", query_string={"query": SELECT_LABELS, "format": "csv",
                                                           "download": "1"})
    assert response.headers["Content-Disposition"] == 'attachment; filename="chipkg-results.csv"'
    values = {row[0] for row in csv.reader(io.StringIO(response.get_data(as_text=True)))}
    assert {"'" + FORMULA, "'-2+3", "'@SUM(A1)", "-42"} <= values    # a number stays a number
    assert FORMULA not in values
    assert response.headers["Chipkg-Neutralised-Cells"] == "3"


def test_download_neutralises_tsv_inside_the_quotes(hostile_client):
    response = hostile_client.get("/sparql", query_string={"query": SELECT_LABELS, "format": "tsv",
                                                           "download": "1"})
    text = response.get_data(as_text=True)
    assert "\"'=HYPERLINK" in text and not re.search(r'(^|\t)"=', text, re.M)


def test_html_pages_link_downloads(hostile_client):
    page = hostile_client.get("/sparql", query_string={"query": SELECT_LABELS, "format": "html"})
    assert "download=1" in page.get_data(as_text=True)
