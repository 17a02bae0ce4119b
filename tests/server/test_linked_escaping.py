"""Everything from the data is escaped in every view; CSV cells never start a formula."""

import csv
import re
import io
import json
import xml.etree.ElementTree as ET

import pytest

from chipkg.server import create_app
from chipkg.server.linked.present import csv_safe

from linked_helpers import FORMULA_LABEL, HOSTILE_LABEL, dataset_from, hostile_trig

HTML_ROUTES = ["/", "/id/evil", "/id/other", "/id/chip", "/id/person", "/id/deal", "/id/claim", "/id/src",
               "/id/quote", "/graph/evil", "/claims", "/claims?level=SPEC", "/claims?org=evil",
               "/sparql?format=html&query=SELECT%20%3Fs%20%3Fl%20WHERE%20%7B%3Fs%20%3Chttp://www.w3.org/"
               "2000/01/rdf-schema%23label%3E%20%3Fl%7D"]


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    dataset = dataset_from(hostile_trig(), tmp_path_factory.mktemp("hostile"))
    return create_app({}, dataset).test_client()


@pytest.mark.parametrize("path", HTML_ROUTES)
def test_labels_and_quotes_holding_markup_show_as_text(hostile_client, path):
    response = hostile_client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/html", path
    page = response.data.decode()
    # the one script allowed is the home page's schema.org Dataset, JSON with < escaped
    page = re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", page)
    assert "<script" not in page and "<img" not in page and "<b>may" not in page
    assert "</blockquote><" not in page
    assert "&lt;script&gt;" in page or "&lt;b&gt;" in page, path     # the data is there, as text


def test_the_hostile_label_reads_exactly_as_written(hostile_client):
    page = hostile_client.get("/id/evil").data.decode()
    assert '<h1 id="entity-title">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;Co&#34;</h1>' in page


@pytest.mark.parametrize("path", ["/pictures/deal-network.svg", "/pictures/timeline.svg"])
def test_pictures_escape_labels(hostile_client, path):
    response = hostile_client.get(path)
    body = response.data.decode()
    assert response.status_code == 200 and "<script" not in body
    texts = [t.text or "" for t in ET.fromstring(response.data).iter("{http://www.w3.org/2000/svg}text")]
    assert any(HOSTILE_LABEL in t for t in texts)


@pytest.mark.parametrize("path", ["/id/evil?format=json", "/id/claim?format=json", "/graph/evil?format=json",
                                  "/claims?format=json"])
def test_every_page_answers_json(hostile_client, path):
    response = hostile_client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert HOSTILE_LABEL in strings(json.loads(response.data))


def strings(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return set().union(*(strings(v) for v in items)) if items else set()


def test_csv_download_neutralises_formulas(hostile_client):
    response = hostile_client.get("/claims?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    assert rows[0]["text"] == "'" + FORMULA_LABEL
    assert rows[0]["label"] == HOSTILE_LABEL


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_prefixes(value):
    assert csv_safe(value) == "'" + value


def test_plain_values_pass_unchanged():
    assert csv_safe("0.15") == "0.15" and csv_safe("Samsung") == "Samsung" and csv_safe("") == ""
