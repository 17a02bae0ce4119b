"""The query page under a small row limit: the cut is shown, never silent."""

import re

import pytest


@pytest.fixture(scope="module")
def settings():
    return {"MAX_RESULT_ROWS": 3}


def test_truncation_is_shown_on_the_page(client):
    query = "PREFIX ck: <https://w3id.org/chipkg/ontology#>\nSELECT ?org WHERE { ?org a ck:Company }"
    response = client.get("/query", query_string={"query": query})
    page = response.data.decode()
    assert response.headers["Chipkg-Truncated"] == "true" and response.headers["Chipkg-Row-Limit"] == "3"
    assert re.search(r'<p id="truncated" class="truncated">\s*<strong>Truncated:</strong>\s*only the first 3 rows', page)
    assert page.count("<tr>") == 1 + 3


def test_no_truncation_note_when_everything_fits(client):
    response = client.get("/query", query_string={"query": "SELECT ?x WHERE { VALUES ?x { 1 2 } }"})
    assert response.headers["Chipkg-Truncated"] == "false"
    assert '<p id="truncated" class="truncated" hidden>' in response.data.decode()
