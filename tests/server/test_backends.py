"""Serving from an external store, beyond what the shared endpoint suite checks on every
backend: the same answers as embedded, substitutions bound safely, and each Virtuoso
workaround (server/backends/virtuoso.py), on real stores. A store that fails while
serving: test_backend_faults.py."""

import json
import re
from collections import Counter

import pyoxigraph as ox
import pytest

from chipkg.errors import UnusableInput
from chipkg.queries import stored_queries
from chipkg.server import create_app
from chipkg.server.backends import http, remote_dataset
from chipkg.server.backends.manifest import DEFAULT_GRAPH
from chipkg.server.backends.remote import RemoteStore, bind
from chipkg.server.config import DEFAULTS
from chipkg.server.protocol.guard import tokenize
from conftest import backends
from stores import start_oxigraph

REMOTE = [b for b in backends() if b != "embedded"]


def tsv_rows(client, path: str, concatenated: dict | None = None, aggregated: frozenset = frozenset(),
             virtuoso: bool = False, **params) -> Counter:
    """The rows as a multiset. `concatenated` maps GROUP_CONCAT columns to their separator:
    their order is unspecified in SPARQL, and whether the shared language tag is kept is
    left to the store (Oxigraph keeps it, Virtuoso drops it), so those cells are compared
    as the sorted parts of their text. In `aggregated` columns (and GROUP_CONCAT ones) an
    empty group's "" counts as no value: Virtuoso answers "" where Oxigraph leaves the
    aggregate unbound (docs/endpoint.md, the Virtuoso adapter table). With `virtuoso`,
    the other deviations of that table are read through: true and false as 1 and 0
    (Virtuoso has no boolean values), a whole xsd:decimal as the integer it was pushed
    as, and an xsd:duration as present (its value comes back as a bare number)."""
    response = client.get(path, query_string={**params, "format": "tsv"})
    assert response.status_code == 200, response.data
    lines = response.data.decode().splitlines()
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        cells = line.split("\t")
        for index, name in enumerate(header):
            separator = (concatenated or {}).get(name.lstrip("?"))
            empty_is_unbound = separator is not None or name.lstrip("?") in aggregated
            if empty_is_unbound and cells[index] == '""':
                cells[index] = ""           # an empty group: Virtuoso "", Oxigraph unbound
            if separator is not None and cells[index]:
                text = re.sub(r'^"(.*)"(@[\w-]+)?$', r"\1", cells[index])
                cells[index] = "|".join(sorted(text.split(separator)))
            if virtuoso:
                cells[index] = _through_virtuoso(cells[index])
        rows.append("\t".join(cells))
    return Counter(rows)


def _through_virtuoso(cell: str) -> str:
    if cell in ("true", "false"):
        return "1" if cell == "true" else "0"
    whole = re.fullmatch(r'"(-?\d+)"\^\^<http://www.w3.org/2001/XMLSchema#decimal>', cell)
    if whole:
        return whole.group(1)
    return re.sub(r'^".*"\^\^<http://www.w3.org/2001/XMLSchema#duration>$', "(a duration)", cell)


def group_concat_columns(text: str) -> dict:
    found = re.findall(r'GROUP_CONCAT\s*\((?:[^;)]*;\s*separator\s*=\s*"([^"]*)")?[^)]*\)\s+AS\s+\?(\w+)',
                       text, re.I)
    return {name: separator or " " for separator, name in found}


def aggregate_columns(text: str) -> frozenset:
    """The columns projected from an expression holding MAX, MIN or SAMPLE: for each
    `AS ?name)`, walk back to the projection's opening parenthesis."""
    names = set()
    for match in re.finditer(r"\bAS\s+\?(\w+)\s*\)", text, re.I):
        depth, at = 0, match.start()
        while at > 0 and depth >= 0:
            at -= 1
            depth += {")": 1, "(": -1}.get(text[at], 0)
        if re.search(r"\b(?:MAX|MIN|SAMPLE)\s*\(", text[at:match.start()], re.I):
            names.add(match.group(1))
    return frozenset(names)


@pytest.fixture(scope="module")
def embedded_client(embedded_shipped):
    return create_app({}, embedded_shipped).test_client()


def remote_client(external_stores, kind: str, **settings):
    store = external_stores(kind)
    dataset = remote_dataset({**DEFAULTS, "BACKEND_URL": store.query_url})
    return create_app(settings, dataset).test_client()


@pytest.mark.parametrize("kind", REMOTE)
def test_every_stored_query_answers_as_on_the_embedded_store(external_stores, embedded_client, layout, kind):
    client = remote_client(external_stores, kind)
    for name, query in stored_queries(layout.queries_dir).items():
        columns, aggregated = group_concat_columns(query.text), aggregate_columns(query.text)
        virtuoso = kind == "virtuoso"
        expected = tsv_rows(embedded_client, f"/queries/{name}", columns, aggregated, virtuoso)
        # the shipped graph has one source: no two attestations can disagree
        assert expected or name == "conflicting-claims", name
        assert tsv_rows(client, f"/queries/{name}", columns, aggregated, virtuoso) == expected, name
    for org in ("kg:samsung", "kg:micron", "kg:no-such-org"):
        assert tsv_rows(client, "/queries/claims-about", org=org) == tsv_rows(
            embedded_client, "/queries/claims-about", org=org)


@pytest.mark.parametrize("kind", REMOTE)
def test_counts_of_the_description_equal_the_embedded_ones(external_stores, embedded_shipped, kind):
    store = external_stores(kind)
    remote = remote_dataset({**DEFAULTS, "BACKEND_URL": store.query_url})
    for field in ("triples", "default_graph_triples", "graphs", "distinct_subjects", "distinct_objects",
                  "entities", "classes", "properties"):
        assert getattr(remote, field) == getattr(embedded_shipped, field), field


def test_substitutions_open_the_where_group_and_are_written_by_pyoxigraph():
    hostile = ox.Literal('x" } ; DROP ALL ; SELECT * { "')
    subs = {ox.Variable("org"): ox.NamedNode("https://w3id.org/chipkg/id/samsung"), ox.Variable("t"): hostile}
    query = "PREFIX ck: <urn:ck#>\n# SELECT { in a comment\nSELECT ?org WHERE { ?c ck:about ?org }"
    text = bind(query, tokenize(query)[0], subs)
    assert text.endswith('WHERE { VALUES (?org ?t) { (<https://w3id.org/chipkg/id/samsung> '
                         '"x\\" } ; DROP ALL ; SELECT * { \\"") }  ?c ck:about ?org }')
    ox.Store().query(text)     # valid SPARQL, the literal stays one literal
    construct = "CONSTRUCT { ?org a <urn:x> } WHERE { ?org ?p ?o }"
    assert bind(construct, tokenize(construct)[0], {ox.Variable("org"): ox.NamedNode("urn:a")}) == (
        "CONSTRUCT { ?org a <urn:x> } WHERE { VALUES (?org) { (<urn:a>) }  ?org ?p ?o }")
    short = "CONSTRUCT WHERE { ?org ?p ?o }"
    assert bind(short, tokenize(short)[0], {ox.Variable("org"): ox.NamedNode("urn:a")}).endswith(
        "\nVALUES (?org) { (<urn:a>) }")
    with pytest.raises(ValueError):
        bind(query, tokenize(query)[0], {ox.Variable("org"): ox.BlankNode()})


@pytest.mark.parametrize("kind", REMOTE)
def test_a_hostile_string_parameter_stays_a_literal_on_the_store(external_stores, kind):
    store = external_stores(kind)
    remote = RemoteStore(store.query_url).with_dataset(DEFAULT_GRAPH, ())
    value = 'x" } ; DROP ALL ; SELECT * { "\n\\'
    rows = list(remote.query("SELECT ?t ?n WHERE { BIND(STRLEN(?t) AS ?n) }",
                             substitutions={ox.Variable("t"): ox.Literal(value)}))
    assert [(r["t"].value, int(r["n"].value)) for r in rows] == [(value, len(value))]


def test_store_without_a_push_record_is_refused(tmp_path):
    store = start_oxigraph(tmp_path)
    try:
        with pytest.raises(UnusableInput, match="no complete `chipkg push`"):
            remote_dataset({**DEFAULTS, "BACKEND_URL": store.query_url})
    finally:
        store.stop()


def test_credentials_come_from_the_environment_or_netrc(tmp_path):
    assert http.credentials_for("http://h/x", {"CHIPKG_STORE_USER": "u", "CHIPKG_STORE_PASSWORD": "p"}) == \
        http.Credentials("u", "p")
    netrc = tmp_path / "netrc"
    netrc.write_text("machine store.example login alice password s3cret\n")
    netrc.chmod(0o600)
    assert http.credentials_for("http://store.example:8890/sparql", {"NETRC": str(netrc)}) == \
        http.Credentials("alice", "s3cret")
    assert http.credentials_for("http://other.example/sparql", {"NETRC": str(netrc)}) is None



@pytest.mark.parametrize("kind", REMOTE)
def test_evidence_views_over_an_external_store_are_refused_plainly(external_stores, kind):
    client = remote_client(external_stores, kind)
    for path in ("/sparql?query=ASK%7B%7D&min-evidence=REP", "/id/samsung?as-of=2027-01-01"):
        response = client.get(path, headers={"Accept": "application/json"})
        assert response.status_code == 400, path
        assert "need the embedded store" in response.get_json()["error"]


@pytest.mark.parametrize("kind", REMOTE)
def test_downloads_over_an_external_store_need_an_export_dir(external_stores, kind):
    response = remote_client(external_stores, kind).get("/downloads", headers={"Accept": "application/json"})
    assert response.status_code == 404 and "EXPORT_DIR" in response.get_json()["error"]
