"""description.ttl: DCAT distributions with the sizes and checksums of the bytes written, and VoID."""

import hashlib

import pyoxigraph as ox
import pytest

from chipkg.export.describe import DATASET, DEFAULT_BASE, version_iri
from chipkg.export.files import BY_FILE_NAME
from chipkg.store import store_of

PREFIXES = """PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX spdx: <http://spdx.org/rdf/terms#> PREFIX void: <http://rdfs.org/ns/void#>
PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""


@pytest.fixture(scope="module")
def described(exported):
    target, manifest = exported
    store = ox.Store()
    store.load(path=target / "description.ttl", format=ox.RdfFormat.TURTLE)
    return target, manifest, store


def rows(store, query):
    result = store.query(PREFIXES + query)
    return [{v.value: (r[v].value if r[v] is not None else None) for v in result.variables} for r in result]


def test_every_file_has_a_distribution_with_the_size_and_sha256_of_its_bytes(described):
    target, manifest, store = described
    found = rows(store, """SELECT ?url ?type ?size ?sum ?alg ?licence ?version WHERE {
        ?d a dcat:Dataset ; dcat:distribution ?dist .
        ?dist a dcat:Distribution ; dcat:downloadURL ?url ; dcat:mediaType ?type ; dcat:byteSize ?size ;
              spdx:checksum [ spdx:algorithm ?alg ; spdx:checksumValue ?sum ] ;
              dcterms:license ?licence ; dcat:version ?version ; dcterms:publisher/foaf:name ?who }""")
    names = {r["url"].removeprefix(DEFAULT_BASE) for r in found}
    assert names == {p.name for p in target.iterdir()} - {"description.ttl", "manifest.json"}
    for r in found:
        name = r["url"].removeprefix(DEFAULT_BASE)
        data = (target / name).read_bytes()
        assert int(r["size"]) == len(data) and r["sum"] == hashlib.sha256(data).hexdigest(), name
        assert r["alg"] == "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"
        assert r["type"].endswith("/" + BY_FILE_NAME[name].media_type)
        assert r["version"] == manifest["version"]


def test_the_dataset_has_a_version_and_void_counts_per_named_graph(described, shipped_quads):
    _, manifest, store = described
    [dataset] = rows(store, """SELECT ?d ?version ?iri ?triples ?modified WHERE {
        ?d a dcat:Dataset , void:Dataset ; dcat:version ?version ; owl:versionIRI ?iri ;
           void:triples ?triples ; dcterms:modified ?modified }""")
    assert dataset["d"] == DATASET and dataset["iri"] == version_iri(manifest["version"])
    assert int(dataset["triples"]) == len({q.triple for q in shipped_quads})
    assert dataset["modified"] == "2026-11-27"      # the extraction activity's date, not the clock
    shipped = store_of(shipped_quads)
    graphs = rows(store, "SELECT ?g ?triples ?entities WHERE { ?d void:subset ?g . "
                         "?g void:triples ?triples ; void:entities ?entities ; void:classes ?c ; void:properties ?p }")
    assert {g["g"] for g in graphs} == {g.value for g in shipped.named_graphs()}
    for g in graphs:
        count = len(list(shipped.quads_for_pattern(None, None, None, ox.NamedNode(g["g"]))))
        assert int(g["triples"]) == count
