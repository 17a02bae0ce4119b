"""Every stored query answers over HTTP as HTML, JSON and CSV, with the same rows as in process."""

import csv
import io

import pyoxigraph as ox
import pytest

from chipkg.project import Layout
from chipkg.queries import stored_queries

NAMES = sorted(stored_queries(Layout().queries_dir))


@pytest.fixture(scope="module")
def expected(shipped):
    """Row counts computed on the store directly, with default parameters."""
    queries = stored_queries(Layout().queries_dir)
    return {name: len(list(shipped.store.query(q.text, use_default_graph_as_union=True,
                                                   substitutions=q.substitutions({}))))
            for name, q in queries.items()}


@pytest.mark.parametrize("name", NAMES)
def test_stored_query_as_json_csv_and_html(client, expected, name):
    as_json = client.get(f"/queries/{name}", query_string={"format": "json"})
    assert as_json.status_code == 200, as_json.data
    rows = list(ox.parse_query_results(as_json.data, ox.QueryResultsFormat.JSON))
    assert len(rows) == expected[name]
    as_csv = client.get(f"/queries/{name}", headers={"Accept": "text/csv"})
    assert as_csv.mimetype == "text/csv"
    assert len(list(csv.reader(io.StringIO(as_csv.data.decode())))) == expected[name] + 1
    as_html = client.get(f"/queries/{name}", headers={"Accept": "text/html"})
    assert as_html.mimetype == "text/html" and "<table" in as_html.data.decode()
    assert as_html.data.decode().count("<tr>") == expected[name] + 1


def test_level_parameter_is_a_choice_in_the_form_and_the_listing(client):
    page = client.get("/queries/claims-about-role-below-level", query_string={"below": "REP"},
                      headers={"Accept": "text/html"}).data.decode()
    assert '<select name="below">' in page and '<option value="REP" selected>' in page
    assert '<option value="CONF">' in page
    listing = client.get("/queries", query_string={"format": "json"}).get_json()
    below = next(q for q in listing["queries"] if q["name"] == "claims-about-role-below-level")["params"][1]
    assert below["kind"] == "level" and [c["value"] for c in below["choices"]] == [
        "CONF", "REP", "SPEC", "UNSUP", "DEN"]


def test_a_bad_level_is_a_400_naming_the_levels(client):
    response = client.get("/queries/compute-dependencies", query_string={"floor": "certain"})
    assert response.status_code == 400
    assert b"not an evidence level" in response.data and b"CONF, REP, SPEC, UNSUP, DEN" in response.data
