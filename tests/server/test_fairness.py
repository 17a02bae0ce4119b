"""Per-client fairness (issue 10, item 6): a client over its budget gets 429 with Retry-After,
and the others are still answered."""

import pytest

from chipkg.server import create_app
from chipkg.server.hardening import fairness
from chipkg.server.hardening.fairness import client_of

from endpoint_helpers import SLOW


ASK = "/sparql?query=ASK%7B%7D"
A = {"REMOTE_ADDR": "203.0.113.10"}
B = {"REMOTE_ADDR": "203.0.113.20"}


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """30 s into a minute, for every test: no minute boundary can pass mid-test."""
    monkeypatch.setattr(fairness, "_now", lambda: 60 * 29_000_000 + 30.0)


def app_with(shipped, **settings):
    return create_app({"FAIR_REQUESTS_PER_MINUTE": 0, "FAIR_QUERY_SECONDS_PER_MINUTE": 0,
                       **settings}, shipped)


def test_request_budget_cuts_one_client_and_not_the_other(shipped):
    client = app_with(shipped, FAIR_REQUESTS_PER_MINUTE=5).test_client()
    assert [client.get(ASK, environ_base=A).status_code for _ in range(5)] == [200] * 5
    over = client.get(ASK, environ_base=A, headers={"Accept": "application/json"})
    assert over.status_code == 429
    assert over.headers["Retry-After"] == "30"
    assert over.json["ok"] is False and "5 requests this minute" in over.json["error"]
    assert client.get(ASK, environ_base=B).status_code == 200
    assert client.get("/-/health", environ_base=A).status_code == 200    # probes are exempt
    metrics = client.get("/-/metrics").data.decode()
    assert "chipkg_requests_rate_limited_total 1" in metrics


# embedded only: the budget is timed against the embedded engine's known costs
@pytest.mark.parametrize("shipped", ["embedded"], indirect=True)
def test_query_seconds_budget_cuts_an_expensive_client(shipped):
    client = app_with(shipped, FAIR_QUERY_SECONDS_PER_MINUTE=0.5).test_client()
    slow = {"query": SLOW}
    statuses = [client.get("/sparql", query_string=slow, environ_base=A).status_code
                for _ in range(3)]
    assert statuses[0] == 200 and statuses[-1] == 429      # the first (~1 s) used the budget up
    assert client.get(ASK, environ_base=B).status_code == 200


def test_loopback_is_exempt_in_development_and_not_when_turned_off(shipped):
    on = app_with(shipped, FAIR_REQUESTS_PER_MINUTE=1).test_client()
    assert [on.get(ASK).status_code for _ in range(3)] == [200] * 3   # test client is 127.0.0.1
    off = app_with(shipped, FAIR_REQUESTS_PER_MINUTE=1, FAIR_EXEMPT_LOOPBACK=False).test_client()
    assert [off.get(ASK).status_code for _ in range(2)] == [200, 429]
    six = {"REMOTE_ADDR": "::1"}
    assert [on.get(ASK, environ_base=six).status_code for _ in range(2)] == [200, 200]


def test_forwarded_for_counts_only_behind_a_trusted_proxy(shipped):
    client = app_with(shipped, FAIR_REQUESTS_PER_MINUTE=1, FAIR_EXEMPT_LOOPBACK=False,
                      TRUSTED_PROXIES=["10.0.0.1"]).test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    first = {"X-Forwarded-For": "198.51.100.1"}
    assert client.get(ASK, environ_base=proxy, headers=first).status_code == 200
    assert client.get(ASK, environ_base=proxy, headers=first).status_code == 429
    second = {"X-Forwarded-For": "198.51.100.2"}
    assert client.get(ASK, environ_base=proxy, headers=second).status_code == 200
    # an untrusted peer cannot pick a fresh identity with the header
    stranger = {"REMOTE_ADDR": "203.0.113.99"}
    assert client.get(ASK, environ_base=stranger, headers=first).status_code == 200
    assert client.get(ASK, environ_base=stranger, headers=second).status_code == 429


@pytest.mark.parametrize("peer, header, expected", [
    ("10.0.0.1", "1.2.3.4", "1.2.3.4"),
    ("10.0.0.1", "6.6.6.6, 1.2.3.4", "1.2.3.4"),       # the client may forge what comes first
    ("10.0.0.1", "1.2.3.4, 10.0.0.1", "1.2.3.4"),      # a chain of trusted proxies
    ("10.0.0.1", "not an address", "10.0.0.1"),
    ("9.9.9.9", "1.2.3.4", "9.9.9.9"),                 # not a trusted peer: header ignored
    ("10.0.0.1", None, "10.0.0.1"),
])
def test_client_of(peer, header, expected):
    assert client_of(peer, header, ["10.0.0.1"]) == expected


def test_the_budget_renews_with_the_minute(shipped, monkeypatch):
    client = app_with(shipped, FAIR_REQUESTS_PER_MINUTE=1).test_client()
    assert [client.get(ASK, environ_base=A).status_code for _ in range(2)] == [200, 429]
    monkeypatch.setattr(fairness, "_now", lambda: 60 * 29_000_001 + 1.0)
    assert client.get(ASK, environ_base=A).status_code == 200
