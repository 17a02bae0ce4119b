"""Content negotiation, the pure function: q-values, wildcards, specificity, exclusion, defaults."""

import pytest

from chipkg.server.negotiate import negotiate, parse_accept

RESULTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"]


@pytest.mark.parametrize("accept", [None, "", "   ", ",,", "nonsense", "text"])
def test_missing_empty_or_unusable_accept_gives_the_first_offered(accept):
    assert negotiate(accept, RESULTS) == RESULTS[0]


def test_exact_match():
    assert negotiate("text/csv", RESULTS) == "text/csv"


def test_highest_q_wins_whatever_the_order():
    assert negotiate("text/csv;q=0.5, text/tab-separated-values;q=0.9", RESULTS) == \
        "text/tab-separated-values"


def test_ties_go_to_the_server_preference():
    assert negotiate("text/tab-separated-values, text/csv", RESULTS) == "text/csv"


def test_star_star_accepts_the_first_offered():
    assert negotiate("*/*", RESULTS) == RESULTS[0]


def test_type_wildcard_matches_its_type_only():
    assert negotiate("text/*", RESULTS) == "text/csv"
    assert negotiate("image/*", RESULTS) is None


def test_most_specific_range_sets_the_q_value():
    # text/csv is excluded by its own range although text/* and */* would take it
    assert negotiate("text/csv;q=0, text/*;q=0.8, */*;q=0.1", RESULTS) == \
        "text/tab-separated-values"
    # a specific low q beats a generous wildcard for that type
    assert negotiate("application/*;q=1, application/sparql-results+json;q=0.2", RESULTS) == \
        "application/sparql-results+xml"


def test_q_zero_excludes_even_under_a_wildcard():
    accept = "*/*;q=0.5, " + ", ".join(f"{t};q=0" for t in RESULTS)
    assert negotiate(accept, RESULTS) is None


def test_nothing_acceptable_gives_none():
    assert negotiate("image/png", RESULTS) is None


def test_parameters_other_than_q_and_case_are_ignored():
    assert negotiate("TEXT/CSV; charset=utf-8; q=0.7, application/json;q=0.1", RESULTS) == "text/csv"


def test_bad_q_values_drop_the_entry():
    assert parse_accept("text/csv;q=abc, text/plain;q=2, text/html;q=0.3") == [("text", "html", 0.3)]


def test_browser_accept_header_prefers_html_when_offered():
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert negotiate(browser, RESULTS + ["text/html"]) == "text/html"
    assert negotiate(browser, RESULTS) == RESULTS[0]


def test_nothing_offered():
    assert negotiate("*/*", []) is None
