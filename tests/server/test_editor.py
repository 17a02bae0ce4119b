"""The query page /query (works without JavaScript), /-/terms and /-/labels."""

import re
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox
import pytest

from chipkg.project import Layout
from chipkg.queries import stored_queries

NAMES = sorted(stored_queries(Layout().queries_dir))
STATIC = Path(__file__).resolve().parents[2] / "server" / "static"


def rows_of(data: bytes) -> Counter:
    """The rows as a multiset; GROUP_CONCAT lists (in no defined order) are sorted."""
    results = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
    names = [v.value for v in results.variables]

    def value(term):
        if term is None:
            return None
        for separator in (" | ", ", "):
            if isinstance(term, ox.Literal) and separator in term.value:
                return separator.join(sorted(term.value.split(separator)))
        return str(term)
    return Counter(tuple(value(row[n]) for n in names) for row in results)


def test_empty_page_has_the_contract_markup(client):
    response = client.get("/query", headers={"Accept": "text/html"})
    page = response.data.decode()
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert re.search(r'<form id="query-form" method="get" action="/query"', page)
    assert '<textarea name="query" id="query"' in page and 'PREFIX ck:' in page
    assert '<select id="examples" name="example">' in page and '<button type="submit" id="run">' in page
    for name in NAMES:
        assert f'<option value="{name}" data-query="' in page
    assert "<script>" not in page and "onclick" not in page       # no inline scripts (CSP)
    assert 'src="/static/editor.js"' in page and 'src="/static/vendor/codemirror/lib/codemirror.js"' in page


def test_static_assets_are_served_locally(client):
    for path in ("editor.js", "editor.css", "vendor/codemirror/lib/codemirror.js",
                 "vendor/codemirror/mode/sparql/sparql.js", "vendor/codemirror/addon/hint/show-hint.js",
                 "vendor/codemirror/lib/codemirror.css", "vendor/codemirror/LICENSE"):
        response = client.get(f"/static/{path}")
        assert response.status_code == 200, path
        response.close()
    assert "innerHTML" not in (STATIC / "editor.js").read_text()   # data only ever as textContent


def test_run_without_javascript_renders_labels_links_time_and_downloads(client):
    query = "PREFIX ck: <https://w3id.org/chipkg/ontology#>\nSELECT ?org WHERE { ?org a ck:Company } ORDER BY ?org"
    response = client.get("/query", query_string={"query": query})
    page = response.data.decode()
    assert response.status_code == 200 and response.headers["Chipkg-Truncated"] == "false"
    assert '<table class="results">' in page
    assert '<a href="/id/samsung" title="kg:samsung">Samsung</a>' in page
    assert re.search(r'id="status" class="meta">14 rows in \d+\.\d ms', page)
    links = dict(re.findall(r'<a href="([^"]+)" data-format="([a-z]+)"', page))
    assert sorted(links.values()) == ["csv", "json", "tsv", "xml"]
    csv_link = next(href for href, name in links.items() if name == "csv")
    assert parse_qs(urlparse(csv_link.replace("&amp;", "&")).query)["query"] == [query]
    share = re.search(r'<a id="share" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert parse_qs(urlparse(share).query)["query"] == [query]


def test_a_download_link_answers_in_its_format(client):
    query = "PREFIX ck: <https://w3id.org/chipkg/ontology#>\nSELECT ?org WHERE { ?org a ck:Company }"
    page = client.get("/query", query_string={"query": query}).data.decode()
    href = re.search(r'<a href="([^"]+)" data-format="csv"', page).group(1).replace("&amp;", "&")
    response = client.get(href)
    assert response.mimetype == "text/csv" and response.data.decode().splitlines()[0] == "org"
    assert len(response.data.decode().splitlines()) == 15


def test_format_other_than_html_is_the_answer_itself(client):
    response = client.get("/query", query_string={"query": "ASK {}", "format": "json"})
    assert response.mimetype == "application/sparql-results+json" and response.get_json()["boolean"]


def test_syntax_error_shows_the_line_and_column(client):
    response = client.get("/query", query_string={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    page = response.data.decode()
    assert response.status_code == 400
    assert "SPARQL syntax error at 3:" in page
    assert re.search(r"<p>Line 3, column \d+:</p>", page) and '<pre class="error-line">}' in page
    assert '<textarea name="query" id="query"' in page       # the editor is still there to fix it


def test_update_is_refused_on_the_page_too(client):
    response = client.get("/query", query_string={"query": "DROP ALL"})
    assert response.status_code == 403 and "read-only" in response.data.decode()


def test_data_is_escaped_in_the_page(client):
    query = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    page = client.get("/query", query_string={"query": query}).data.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_load_example_fills_the_editor_with_its_defaults_bound(client):
    page = client.get("/query", query_string={"example": "claims-below-level", "load": "1"}).data.decode()
    assert '<option value="claims-below-level" data-query=' in page
    assert "VALUES (?org ?below) { (&lt;https://w3id.org/chipkg/id/samsung&gt; " \
           "&lt;https://w3id.org/chipkg/evidence#Reported&gt;) }" in page


@pytest.mark.parametrize("name", NAMES)
def test_each_example_gives_the_stored_querys_rows(client, app, name):
    from chipkg.server.pages.editor import example_text
    with app.app_context():
        text = example_text(app.extensions["chipkg"].queries[name])
    by_editor = client.post("/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"})
    stored = client.get(f"/queries/{name}", query_string={"format": "json"})
    assert by_editor.status_code == 200, by_editor.data
    assert rows_of(by_editor.data) == rows_of(stored.data)


def test_terms_lists_prefixes_and_the_ontologys_terms_with_labels(client):
    body = client.get("/-/terms").get_json()
    assert body["prefixes"]["ck"] == "https://w3id.org/chipkg/ontology#"
    terms = {t["curie"]: t for t in body["terms"]}
    assert terms["ck:Claim"]["kinds"] == ["class"] and terms["ck:Claim"]["label"] == "claim"
    assert "property" in terms["ck:evidenceLevel"]["kinds"]
    assert terms["ev:Unsupported"]["kinds"] == ["concept"] and terms["ev:Unsupported"]["label"] == "unsupported"
    assert terms["ck:Foundry"]["label"] == "foundry"
    assert terms["kg:samsung"]["label"] == "Samsung" and terms["kg:samsung"]["kinds"] == ["entity"]
    assert all(not t["iri"].startswith(("http://lov", "https://lov")) for t in body["terms"])


def test_labels_and_links_for_iris(client):
    body = client.post("/-/labels", json={"iris": ["https://w3id.org/chipkg/id/samsung",
                                                   "https://w3id.org/chipkg/evidence#Reported",
                                                   "https://example.org/unknown"]}).get_json()
    assert body["labels"] == {"https://w3id.org/chipkg/id/samsung": "Samsung",
                              "https://w3id.org/chipkg/evidence#Reported": "reported"}
    assert body["links"] == {"https://w3id.org/chipkg/id/samsung": "/id/samsung",
                             "https://w3id.org/chipkg/evidence#Reported": "/evidence#Reported"}


@pytest.mark.parametrize("body", [None, {"iris": "x"}, {"iris": [1]}, {"iris": ["not an iri"]}])
def test_labels_refuses_bad_input_with_400(client, body):
    response = client.post("/-/labels", json=body) if body is not None else client.post(
        "/-/labels", data="{", content_type="application/json")
    assert response.status_code == 400


# an evidence view needs the embedded store (over an external one it is 400: test_backends.py)
@pytest.mark.parametrize("shipped", ["embedded"], indirect=True)
def test_other_parameters_of_the_page_are_kept_in_form_share_and_downloads(client):
    page = client.get("/query", query_string={"query": "ASK {}", "min-evidence": "REP"}).data.decode()
    assert '<input type="hidden" name="min-evidence" value="REP">' in page
    share = re.search(r'<a id="share" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert parse_qs(urlparse(share).query) == {"query": ["ASK {}"], "min-evidence": ["REP"]}
    json_link = re.search(r'<a href="([^"]+)" data-format="json"', page).group(1).replace("&amp;", "&")
    assert parse_qs(urlparse(json_link).query) == {"query": ["ASK {}"], "format": ["json"],
                                                   "min-evidence": ["REP"]}


def test_a_stored_query_page_links_to_the_editor(client):
    page = client.get("/queries/person-moves", headers={"Accept": "text/html"}).data.decode()
    href = re.search(r'<a href="([^"]+)">Open in the SPARQL editor</a>', page).group(1).replace("&amp;", "&")
    editor = client.get(href).data.decode()
    assert '<option value="person-moves" data-query=' in editor and "VALUES (?org)" in editor
