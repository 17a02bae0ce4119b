"""`chipkg serve` in-process: validation first, options and environment into the config,
gunicorn settings. (The real process is tested in test_e2e.py.)"""

import json

import pytest

from chipkg.cli import cli
from chipkg.server import command
from chipkg.server.config import DEFAULTS, from_environ, merged

OWN = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/g1> { <https://example.org/x> rdfs:label "own data" . }
<https://example.org/y> rdfs:label "in the default graph" .
"""
BAD = """@prefix ck: <https://w3id.org/chipkg/ontology#> .
<https://w3id.org/chipkg/id/bad-deal> a ck:Deal .
"""


@pytest.fixture
def served(monkeypatch):
    """Capture what `serve` would hand to gunicorn instead of running it."""
    captured = {}

    def fake_run(app, options):
        captured.update(app=app, options=options)

    monkeypatch.setattr(command, "run_gunicorn", fake_run)
    return captured


def test_invalid_data_is_refused_with_the_report_and_never_served(runner, served, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD)
    result = runner.invoke(cli, ["serve", "--data", str(bad), "--skip-quotes"])
    assert result.exit_code == 1
    assert "Violation: kg:bad-deal" in result.stderr and "does not conform" in result.stderr
    assert "not serving it" in result.stderr
    assert served == {}


def test_nothing_to_serve_is_an_error(runner, served):
    result = runner.invoke(cli, ["serve", "--no-default-graph"])
    assert result.exit_code == 2 and "nothing to serve" in result.stderr
    assert served == {}


def test_own_data_alone_with_named_graphs_kept(runner, served, tmp_path):
    own = tmp_path / "own.trig"
    own.write_text(OWN)
    result = runner.invoke(cli, ["serve", "--data", str(own), "--no-default-graph", "--skip-quotes",
                                 "--port", "8123", "--workers", "3", "--timeout", "7", "--max-rows", "50",
                                 "--service-allow", "https://query.wikidata.org/sparql"])
    assert result.exit_code == 0, result.output
    options, app = served["options"], served["app"]
    assert options["bind"] == "127.0.0.1:8123" and options["workers"] == 3
    assert options["worker_class"] == "gthread" and options["preload_app"] is True
    assert options["threads"] == DEFAULTS["MAX_CONCURRENT_QUERIES"] + DEFAULTS["MAX_LONG_QUERIES"] + 2
    assert app.config["QUERY_TIMEOUT_SECONDS"] == 7 and app.config["MAX_RESULT_ROWS"] == 50
    assert app.config["SERVICE_ALLOW_LIST"] == ["https://query.wikidata.org/sparql"]
    assert app.config["DATASET_LICENSE"] is None      # not the shipped graph's licence
    client = app.test_client()
    query = "SELECT ?g ?l WHERE { GRAPH ?g { ?x ?p ?l } }"
    rows = json.loads(client.get("/sparql", query_string={"query": query}).data)["results"]["bindings"]
    assert [(r["g"]["value"], r["l"]["value"]) for r in rows] == [("https://example.org/g1", "own data")]
    deals = "ASK { ?d a <https://w3id.org/chipkg/ontology#Deal> }"
    assert json.loads(client.get("/sparql", query_string={"query": deals}).data)["boolean"] is False
    ontology = "ASK { <https://w3id.org/chipkg/ontology#Deal> a ?type }"
    assert json.loads(client.get("/sparql", query_string={"query": ontology}).data)["boolean"] is True


def test_environment_settings_and_options_winning(runner, served, monkeypatch, sources):
    monkeypatch.setenv("CHIPKG_QUERY_TIMEOUT_SECONDS", "3.5")
    monkeypatch.setenv("CHIPKG_MAX_RESULT_ROWS", "99")
    monkeypatch.setenv("CHIPKG_CORS_ALLOW_ORIGIN", "none")
    result = runner.invoke(cli, ["serve", "--max-rows", "7", "--sources", str(sources)])
    assert result.exit_code == 0, result.output
    config = served["app"].config
    assert config["QUERY_TIMEOUT_SECONDS"] == 3.5 and config["MAX_RESULT_ROWS"] == 7
    assert config["CORS_ALLOW_ORIGIN"] is None
    assert served["options"]["graceful_timeout"] == 8


def test_from_environ_converts_to_the_default_types():
    found = from_environ({"CHIPKG_WORKERS": "4", "CHIPKG_UNION_DEFAULT_GRAPH": "false",
                          "CHIPKG_SERVICE_ALLOW_LIST": "https://a.org/sparql, https://b.org/sparql",
                          "CHIPKG_THREADS": "12", "CHIPKG_DATASET_LICENSE": "", "OTHER": "x"})
    assert found == {"WORKERS": 4, "UNION_DEFAULT_GRAPH": False, "THREADS": 12, "DATASET_LICENSE": None,
                     "SERVICE_ALLOW_LIST": ["https://a.org/sparql", "https://b.org/sparql"]}
    with pytest.raises(ValueError):
        from_environ({"CHIPKG_LOG_REQUESTS": "maybe"})


def test_unknown_settings_are_refused():
    with pytest.raises(ValueError, match="QUERY_TIMEOUT"):
        merged({"QUERY_TIMEOUT": 3})
