"""The W3C SPARQL 1.1 query-evaluation and syntax tests, through /sparql and on the bare engine.

Each evaluation test runs twice: `test_endpoint` sends the query over HTTP (Flask's test
client: strict decoding, guard, NOT EXISTS rewrite, engine, serialisation, parsed back),
`test_engine` asks pyoxigraph directly. A test in expected-failures.txt must fail on both
(strict: a listed test that passes fails, so the list stays true); any other must pass on
both. A test the engine passes and the endpoint fails is a bug of the endpoint.
"""

from pathlib import Path

import pytest

from w3c_runner import Refused, endpoint_client, on_engine, through_endpoint
from w3c_suite import QUERY_SUITES, SYNTAX_SUITES, cases, expected_answer, is_ordered, same

EXPECTED_FAILURES = dict(
    line.split("\t", 1) for line in
    (Path(__file__).with_name("expected-failures.txt").read_text(encoding="utf-8").splitlines())
    if line and not line.startswith("#"))
EVALUATION = [c for c in cases(QUERY_SUITES) if c.kind == "QueryEvaluationTest"]
SYNTAX = [c for c in cases(QUERY_SUITES + SYNTAX_SUITES) if "Syntax" in c.kind]


def marked(case_list):
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True,
                                                              reason=EXPECTED_FAILURES[c.id])]
                         if c.id in EXPECTED_FAILURES else []) for c in case_list]


def test_the_suites_are_all_there():
    assert len(EVALUATION) == 208 and len(SYNTAX) == 97
    unknown = set(EXPECTED_FAILURES) - {c.id for c in EVALUATION + SYNTAX}
    assert not unknown, f"expected failures name unknown tests: {unknown}"


@pytest.mark.parametrize("case", marked(EVALUATION))
def test_endpoint(case):
    try:
        actual = through_endpoint(case)
    except Refused as refused:
        pytest.fail(f"the endpoint refused the query: {refused}")
    assert same(expected_answer(case), actual, is_ordered(case.text)), (
        f"wrong answer through /sparql; bare engine: "
        f"{'right' if same(expected_answer(case), on_engine(case), is_ordered(case.text)) else 'wrong too'}")


@pytest.mark.parametrize("case", marked(EVALUATION))
def test_engine(case):
    assert same(expected_answer(case), on_engine(case), is_ordered(case.text))


@pytest.fixture(scope="module")
def empty_client():
    return endpoint_client(SYNTAX[0], store=__import__("pyoxigraph").Store())


@pytest.mark.parametrize("case", marked(SYNTAX))
def test_syntax(case, empty_client):
    response = empty_client.post("/sparql", data=case.text.encode("utf-8"),
                                 content_type="application/sparql-query",
                                 headers={"Accept": "application/json, */*;q=0.1"})
    if case.kind.startswith("Positive"):
        assert response.status_code == 200, response.get_data(as_text=True)
    else:
        assert response.status_code == 400, response.get_data(as_text=True)
        assert "SPARQL syntax error" in response.json["error"]
