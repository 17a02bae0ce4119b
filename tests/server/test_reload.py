"""POST /-/reload in-process (issue 10, item 7): the token, and broken data keeping the old graph.
The same with SIGHUP and a real `chipkg serve` is in test_hardening_e2e.py."""

import pytest

from chipkg.server import create_app

GOOD = '<http://example.org/a> <http://example.org/p> "first" .\n'
BROKEN = '<http://example.org/a> <http://example.org/p> "first" .\n<http://example.org/b> <http://example.org/p> "unclosed .\n'
ASK = "/sparql?query=ASK%7B%3Chttp://example.org/{}%3E%20?p%20?o%7D"


@pytest.fixture
def served(tmp_path):
    data = tmp_path / "data.nt"
    data.write_text(GOOD)
    app = create_app({"INCLUDE_SHIPPED_GRAPH": False, "DATA_FILES": [str(data)], "SKIP_QUOTES": True,
                      "RELOAD_TOKEN": "s3cret", "DATASET_LICENSE": None})
    return app.test_client(), data


def ask(client, local: str) -> bool:
    return client.get(ASK.format(local), headers={"Accept": "application/sparql-results+json"}).json["boolean"]


def test_reload_needs_the_token(served):
    client, _ = served
    assert client.post("/-/reload").status_code == 403
    assert client.post("/-/reload", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/-/reload").status_code == 405


def test_reload_is_off_without_a_token(shipped):
    assert create_app({}, shipped).test_client().post("/-/reload").status_code == 404


def test_reload_serves_new_data_and_keeps_the_old_graph_when_broken(served, caplog):
    client, data = served
    token = {"Authorization": "Bearer s3cret"}
    data.write_text(GOOD.replace("/a>", "/c>"))
    response = client.post("/-/reload", headers=token)
    assert response.status_code == 200 and response.json["ok"] is True
    assert ask(client, "c") and not ask(client, "a")
    data.write_text(BROKEN)
    response = client.post("/-/reload", headers={**token, "Accept": "application/json"})
    assert response.status_code == 409
    assert f"{data}:2" in response.json["error"] and "still serving" in response.json["error"]
    assert ask(client, "c")                                   # the old graph, still answering
    assert f"reload refused" in caplog.text and f"{data}:2" in caplog.text
