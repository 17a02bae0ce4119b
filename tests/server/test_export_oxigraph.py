"""Done-when of the linked-data export: a new user downloads the N-Quads dump from the
running site, loads it into a real Oxigraph server, and gets the same answers as chipkg's
endpoint on every stored query (default parameters, union default graph on both sides,
solutions compared as multisets)."""

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from chipkg.queries import stored_queries

# Embedded store only: compares a dump made from the loaded files with the embedded endpoint; the stores' answers are compared in test_backends.py.
pytestmark = pytest.mark.parametrize("shipped", ["embedded"], indirect=True)

RESULTS_JSON = "application/sparql-results+json"


def oxigraph_program() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    assert found, "the `oxigraph` program (PyPI package oxigraph, in the test extra) is not installed"
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> dict:
    return {"EXPORT_CACHE_DIR": str(tmp_path_factory.mktemp("export-cache"))}


@pytest.fixture(scope="module")
def oxigraph(app, tmp_path_factory):
    """URL of a real `oxigraph serve` holding the dump downloaded from chipkg's /downloads."""
    folder = tmp_path_factory.mktemp("oxigraph")
    response = app.test_client().get("/downloads/chipkg.nq")
    assert response.status_code == 200
    dump = folder / "downloaded.nq"
    dump.write_bytes(response.get_data())
    response.close()
    program, location = oxigraph_program(), folder / "store"
    subprocess.run([program, "load", "--location", str(location), "--file", str(dump)],
                   check=True, capture_output=True, timeout=120)
    port = free_port()
    server = subprocess.Popen([program, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                               "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"oxigraph serve exited: {server.stderr.read().decode()}"
            try:
                ask(url, "ASK { ?s ?p ?o }")
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "oxigraph serve did not answer within 60 s"
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


def ask(url: str, query: str) -> dict:
    request = urllib.request.Request(url, data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": RESULTS_JSON,
                                              "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def bound_text(query) -> str:
    """The stored query with its default parameters bound by VALUES at the start of its
    WHERE group: what SPARQL substitution does, written as text for a server without it."""
    values = "".join(f" VALUES ?{v.value} {{ {term} }}" for v, term in query.substitutions({}).items())
    text, count = re.subn(r"\bWHERE\s*\{", lambda m: m.group(0) + values, query.text, count=1, flags=re.I)
    assert count == 1, query.name
    return text


def concatenated(query) -> dict[str, str]:
    """Variables made by GROUP_CONCAT, with their separators: SPARQL leaves the order of the
    parts undefined (Oxigraph's varies with the store's layout), so they compare as multisets."""
    return {name: separator for separator, name in re.findall(
        r'GROUP_CONCAT\([^;)]*;\s*separator\s*=\s*"([^"]*)"\s*\)\s*AS\s*\?(\w+)', query.text, re.I)}


def solutions(results: dict, unordered: dict[str, str]) -> Counter:
    def value(name: str, term: dict):
        if term["type"] == "bnode":
            return ("bnode",)
        text = term["value"]
        if name in unordered:
            text = tuple(sorted(text.split(unordered[name])))
        return term["type"], text, term.get("datatype"), term.get("xml:lang")
    if "boolean" in results:
        return Counter([results["boolean"]])
    return Counter(frozenset((name, value(name, term)) for name, term in row.items())
                   for row in results["results"]["bindings"])


def test_the_downloaded_dump_answers_every_stored_query_as_chipkg_does(client, oxigraph, layout):
    queries = stored_queries(layout.queries_dir)
    assert queries and concatenated(queries["claims-below-level"]) == {"hedges": " | "}
    for name, query in sorted(queries.items()):
        ours = client.get(f"/queries/{name}", headers={"Accept": RESULTS_JSON})
        assert ours.status_code == 200, name
        expected = solutions(json.loads(ours.get_data()), concatenated(query))
        theirs = solutions(ask(oxigraph, bound_text(query)), concatenated(query))
        # the shipped graph has one source, so no two attestations can disagree
        assert sum(expected.values()) > 0 or name == "conflicting-claims", f"{name} has no answer to compare"
        assert theirs == expected, name
