"""Bounded property-based fuzzing of every route in CI (strategies in fuzz_http.py; the long
run is `bench/fuzz.py`). Invariant: 2xx/3xx/4xx in the documented error shape, never an
unexpected 5xx, and the server healthy afterwards."""

from hypothesis import given, settings

from fuzz_http import check, requests, send, tiny_app

APP = tiny_app()
EXAMPLES = 300


@settings(max_examples=EXAMPLES, deadline=None, database=None)
@given(requests(APP))
def test_any_request_gets_a_documented_answer(request):
    check(request, send(APP.test_client(), request))


def test_healthy_after_the_fuzzing():
    client = APP.test_client()
    assert client.get("/-/health").status_code == 200
    assert client.get("/sparql?query=ASK%7B%7D", headers={"Accept": "application/json"}).status_code == 200
