"""Operations (/-/health, /-/version, /-/metrics, request log, CORS) and the one error shape."""

import json
import logging
import re

import pytest

from chipkg import __version__
from chipkg.server import create_app
from chipkg.server.protocol.engine import Engine
from endpoint_helpers import DEALS


def test_health_is_ready_with_counts(client, shipped):
    response = client.get("/-/health")
    assert response.status_code == 200
    body = json.loads(response.data)
    assert body["status"] == "ready" and body["triples"] == shipped.triples and body["named_graphs"] == 1


def test_not_ready_before_a_dataset_is_attached(shipped):
    app = create_app({}, load=False)
    client = app.test_client()
    for path in ("/-/health", "/sparql?query=ASK%7B%7D", "/sparql", "/.well-known/void", "/"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == "5"
    assert client.get("/-/metrics").status_code == 200
    app.extensions["chipkg"].attach(shipped)
    assert client.get("/-/health").status_code == 200


def test_version(client):
    body = json.loads(client.get("/-/version").data)
    assert body["chipkg"] == __version__ and body["pyoxigraph"].startswith("0.5")
    assert {"flask", "gunicorn", "python", "rdflib"} <= set(body)


def test_metrics_in_prometheus_text_format(client):
    client.get("/sparql", query_string={"query": DEALS})
    client.get("/sparql", query_string={"query": "SELECT"})
    response = client.get("/-/metrics")
    assert response.mimetype == "text/plain" and "version=0.0.4" in response.headers["Content-Type"]
    text = response.data.decode()
    sample = re.compile(r'^chipkg_[a-z_]+(\{[a-z]+="[^"]*"\})? [0-9.e+-]+$')
    for line in text.splitlines():
        assert line.startswith("# HELP ") or line.startswith("# TYPE ") or sample.match(line), line
    numbers = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
               for line in text.splitlines() if not line.startswith("#")}
    assert numbers['chipkg_requests_total{status="200"}'] >= 1
    assert numbers['chipkg_requests_total{status="400"}'] >= 1
    assert numbers["chipkg_query_seconds_count"] >= 1
    assert numbers['chipkg_query_seconds_bucket{le="+Inf"}'] == numbers["chipkg_query_seconds_count"]
    assert numbers["chipkg_triples"] > 2000 and numbers["chipkg_queries_in_flight"] == 0


def test_request_log_has_method_path_status_duration_and_size(client, caplog):
    with caplog.at_level(logging.INFO, logger="chipkg.server.requests"):
        client.get("/sparql", query_string={"query": DEALS})
        client.get("/no-such-page")
    lines = [r.getMessage() for r in caplog.records if r.name == "chipkg.server.requests"]
    assert re.fullmatch(r'127\.0\.0\.1 "GET /sparql" 200 \d+\.\dms \d+B', lines[0]), lines[0]
    assert re.fullmatch(r'127\.0\.0\.1 "GET /no-such-page" 404 \d+\.\dms \d+B', lines[1]), lines[1]


def test_cors_on_for_reads(client):
    response = client.get("/sparql", query_string={"query": DEALS}, headers={"Origin": "https://yasgui.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Chipkg-Truncated" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options("/sparql", headers={"Origin": "https://yasgui.org",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]


def test_cors_can_be_turned_off(shipped):
    client = create_app({"CORS_ALLOW_ORIGIN": None}, shipped).test_client()
    assert "Access-Control-Allow-Origin" not in client.get("/sparql", query_string={"query": DEALS}).headers


ERRORS = {
    400: lambda c, h: c.get("/sparql", query_string={"query": "SELECT WHERE"}, headers=h),
    403: lambda c, h: c.get("/sparql", query_string={"update": "CLEAR ALL"}, headers=h),
    404: lambda c, h: c.get("/nowhere", headers=h),
    405: lambda c, h: c.delete("/sparql", headers=h),
    406: lambda c, h: c.get("/sparql", query_string={"query": DEALS, "format": "nope"},
                            headers={**h, "Accept": "image/png"}),
    415: lambda c, h: c.post("/sparql", data=b"x", content_type="text/plain", headers=h),
}


@pytest.mark.parametrize("status", ERRORS)
def test_error_shape_is_pinned_json(client, status):
    response = ERRORS[status](client, {"Accept": "application/json"})
    if status == 406:   # the client asked for image/png only: the error is plain text
        assert response.status_code == 406 and response.mimetype == "text/plain"
        return
    assert response.status_code == status and response.mimetype == "application/json"
    body = json.loads(response.data)
    assert list(body) == ["ok", "status", "error"]
    assert body["ok"] is False and body["status"] == status and isinstance(body["error"], str)
    assert body["error"] and "Traceback" not in body["error"]


@pytest.mark.parametrize("status", ERRORS)
def test_error_shape_is_pinned_text(client, status):
    response = ERRORS[status](client, {})
    assert response.status_code == status
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    text = response.data.decode()
    assert re.fullmatch(rf"{status} [A-Z][A-Za-z ]+: .+\n", text), text


def test_unexpected_errors_are_500_generic_and_logged(client, monkeypatch, caplog):
    def explode(self, plan):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(Engine, "_evaluate", explode)
    with caplog.at_level(logging.ERROR, logger="chipkg.server"):
        response = client.get("/sparql", query_string={"query": DEALS}, headers={"Accept": "application/json"})
    assert response.status_code == 500
    assert json.loads(response.data) == {"ok": False, "status": 500,
                                         "error": "internal error; the server log has the details"}
    assert b"secret" not in response.data and b"Traceback" not in response.data
    assert any("secret internal detail" in (r.exc_text or "") for r in caplog.records)
    monkeypatch.undo()
    assert client.get("/sparql", query_string={"query": DEALS}).status_code == 200
