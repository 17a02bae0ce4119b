"""kg/wikidata-links.trig: links only to listed items, each with where it was seen."""

import csv

import pyoxigraph as ox
import pytest

from chipkg.namespaces import sparql_prologue
from chipkg.rdfio import read_quads
from chipkg.store import store_of

SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
WD = "http://www.wikidata.org/entity/"
KG = "https://w3id.org/chipkg/id/"


@pytest.fixture(scope="module")
def listed(layout) -> dict[str, str]:
    """Wikidata item → "seen" note, from the shared list (comment lines skipped)."""
    path = layout.root.parent / "shared" / "data" / "wikidata-links.tsv"
    assert path.is_file(), f"reference list not found: {path}"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {row["wikidata"]: row["seen"] for row in csv.DictReader(lines, delimiter="\t")}


@pytest.fixture(scope="module")
def store(layout):
    return store_of(read_quads(layout.ontology_files + layout.graph_files))


def links(store) -> dict[str, str]:
    return {row["s"].value: row["o"].value for row in store.query(
        f"SELECT ?s ?o WHERE {{ ?s <{SAME_AS}> ?o }}", use_default_graph_as_union=True)}


def test_every_link_is_to_a_listed_item_in_the_links_file(store, listed, layout):
    found = links(store)
    assert found and {o.removeprefix(WD) for o in found.values()} <= set(listed)
    in_file = {q.subject.value for q in read_quads([layout.root / "kg" / "wikidata-links.ttl"])
               if q.predicate.value == SAME_AS}
    assert in_file == set(found)
    in_default_graph = {q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(SAME_AS), None,
                                                                         ox.DefaultGraph())}
    assert in_default_graph == set(found)


def test_uncertain_identities_stay_unlinked(store):
    found = links(store)
    assert KG + "samsung" not in found      # "Samsung" the foundry is not certainly Samsung Electronics
    assert KG + "aws" not in found          # AWS is not the Amazon item
    assert found[KG + "amazon"] == WD + "Q3884"
    assert len(set(found.values())) == len(found)   # no item stands for two chipkg nodes


def test_every_link_records_where_it_was_seen(store, listed):
    rows = store.query(sparql_prologue() + """
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT ?s ?o ?seen ?list WHERE {
          ?s owl:sameAs ?o .
          ?statement a rdf:Statement , prov:Entity ; rdf:subject ?s ; rdf:predicate owl:sameAs ;
                     rdf:object ?o ; dcterms:source ?seen ; prov:wasDerivedFrom ?list .
          ?list a prov:Entity ; dcterms:title ?title .
        }""", use_default_graph_as_union=True)
    seen = {row["o"].value.removeprefix(WD): row["seen"].value for row in rows}
    assert seen.keys() == {o.removeprefix(WD) for o in links(store).values()}
    for item, note in seen.items():
        assert note == listed[item], item
