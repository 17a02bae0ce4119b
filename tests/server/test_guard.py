"""The guard's lexer: the query form, updates, SERVICE targets and FROM, on both of its paths
(the character-count fast path, and the full lexer, forced by a comment naming FROM)."""

import pytest

from chipkg.server.errors import SparqlError
from chipkg.server.protocol.guard import inspect, tokenize

FORCE_LEXER = "\n# FROM"

FORMS = {
    "SELECT * WHERE { ?s ?p ?o }": "select",
    "  # a comment\nPREFIX ck: <https://w3id.org/chipkg/ontology#>\nprefix : <urn:x#>\nask {}": "ask",
    "BASE <http://example.org/>\nCONSTRUCT WHERE { ?s ?p ?o }": "construct",
    "PREFIX select: <urn:s:>\nDESCRIBE select:x": "describe",
    "SELEC * {}": None,
}


@pytest.mark.parametrize("suffix", ["", FORCE_LEXER], ids=["fast", "lexer"])
@pytest.mark.parametrize("query", FORMS)
def test_query_form_on_both_paths(query, suffix):
    shape = inspect(query + suffix, 128, [])
    assert shape.form == FORMS[query]
    assert bool(shape.tokens) == bool(suffix)


@pytest.mark.parametrize("suffix", ["", FORCE_LEXER], ids=["fast", "lexer"])
@pytest.mark.parametrize("query", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX ck: <urn:ck#>\n# comment\nDELETE WHERE { ?s ?p ?o }",
    "with <urn:g> delete { ?s ?p ?o } where { ?s ?p ?o }",
    "CLEAR ALL",
    "LOAD <http://example.org/data.ttl>",
])
def test_updates_are_refused_on_both_paths(query, suffix):
    with pytest.raises(SparqlError) as raised:
        inspect(query + suffix, 128, [])
    assert raised.value.status == 403


def test_from_is_found_only_at_the_top_level_and_not_in_names():
    assert inspect("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }", 128, []).names_dataset
    assert inspect("SELECT * FROM NAMED <urn:g> WHERE { GRAPH ?g { ?s ?p ?o } }", 128, []).names_dataset
    assert not inspect("SELECT * WHERE { ?s <urn:x:from> ?o }", 128, []).names_dataset
    assert not inspect('SELECT * WHERE { ?s ?p "from" }', 128, []).names_dataset
    assert not inspect("PREFIX ck: <urn:ck#> SELECT * WHERE { ?s ck:fromOrganization ?o }", 128, []).names_dataset


def test_service_allowed_by_iri_or_prefixed_name():
    allowed = ["https://query.wikidata.org/sparql"]
    inspect("SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }", 128, allowed)
    inspect("PREFIX wd: <https://query.wikidata.org/>\nSELECT * WHERE { SERVICE SILENT wd:sparql { ?s ?p ?o } }",
            128, allowed)
    with pytest.raises(SparqlError):
        inspect("SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql?x> { ?s ?p ?o } }", 128, allowed)


def test_lexer_reads_strings_iris_comments_and_escapes():
    tokens, depth, operators = tokenize(
        'SELECT * WHERE { ?s ck:a\\#b "x { # (" . ?s <urn:x\\u0029#(> \'\'\'y\n}\'\'\' } # {{{')
    kinds = [t.kind for t in tokens]
    assert kinds == ["word", "other", "word", "open", "var", "word", "string", "other", "var", "iri",
                     "string", "close"]
    assert [t.depth for t in tokens if t.kind == "close"] == [0]
    # counted for safety: the group (1), "{ (" left open in the string (2) and "(" in the IRI (1)
    # stay counted; the comment's "{{{" on top of them makes 0 + 3 + 3
    assert depth == 6
    assert operators == 2   # "*" and "."
