"""FILTER NOT EXISTS → MINUS: rewritten only where provably equivalent, and equivalent in fact.

Every query below is run with the rewrite on and off, on the shipped graph and on a
synthetic graph of the same ontology; the answers must be identical multisets.
"""

from collections import Counter

import pyoxigraph as ox
import pytest

from chipkg.project import Layout
from chipkg.rdfio import read_quads
from chipkg.server import create_app
from chipkg.server.dataset import dataset_of
from chipkg.server.protocol.guard import inspect
from chipkg.server.protocol.rewrite import not_exists_to_minus
from chipkg.store import store_of
from chipkg.synth import write_synthetic

P = """PREFIX ck: <https://w3id.org/chipkg/ontology#>
PREFIX ev: <https://w3id.org/chipkg/evidence#>
PREFIX kg: <https://w3id.org/chipkg/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
"""

REWRITTEN = {
    "chips-without-confirmed-deal": """SELECT ?chip WHERE { ?chip a ck:Chip .
        FILTER NOT EXISTS { ?deal ck:concernsProduct ?chip ; ck:evidenceLevel ev:OfficiallyConfirmed } }""",
    "filter-in-the-middle-no-dots": """SELECT ?c ?l WHERE { ?c a ck:Chip FILTER NOT EXISTS { ?c ck:fabricatedBy ?f }
        ?c rdfs:label ?l }""",
    "filter-first-then-dot": """SELECT ?c WHERE { FILTER NOT EXISTS { ?c ck:fabricatedBy ?f } . ?c a ck:Chip }""",
    "lower-case-two-filters": """select ?o where { ?o a ck:Company .
        filter not exists { ?d ck:party ?o ; a ck:Deal } . filter not exists { ?c ck:designedBy ?o } }""",
    "inside-graph": """SELECT ?g ?claim WHERE { GRAPH ?g { ?claim a ck:Claim ; schema:about ?x .
        FILTER NOT EXISTS { ?x a ck:Company } } }""",
    "inside-a-subquery": """SELECT ?n WHERE { { SELECT (COUNT(?c) AS ?n) WHERE { ?c a ck:Claim
        FILTER NOT EXISTS { ?c ck:evidenceLevel ev:OfficiallyConfirmed } } } }""",
    "with-optional-elsewhere": """SELECT ?d ?v WHERE { ?d a ck:Deal OPTIONAL { ?d ck:dealValue ?v }
        FILTER NOT EXISTS { ?d ck:evidenceLevel ev:Unsupported } }""",
    "property-path": """SELECT ?c WHERE { ?c a ck:Claim FILTER NOT EXISTS { ?c ck:evidenceLevel/ck:rank 5 } }""",
}

KEPT = {
    "in-optional-body-sees-the-left-side": """SELECT ?d ?p WHERE { ?d a ck:Deal
        OPTIONAL { ?d ck:party ?p FILTER NOT EXISTS { ?d ck:announcedBy ?p } } }""",
    "shared-variable-only-optional": """SELECT ?c ?o WHERE { ?c a ck:Chip OPTIONAL { ?c ck:designedBy ?o }
        FILTER NOT EXISTS { ?o a ck:Company } }""",
    "no-shared-variable": """SELECT ?c WHERE { ?c a ck:Chip FILTER NOT EXISTS { ?x a ck:Deal } }""",
    "inner-filter": """SELECT ?d WHERE { ?d a ck:Deal FILTER NOT EXISTS { ?d ck:party ?p FILTER(?p = kg:micron) } }""",
    "inside-an-expression": """SELECT ?c WHERE { ?c a ck:Chip FILTER (!EXISTS { ?c ck:fabricatedBy ?f }) }""",
    "not-exists-and-more": """SELECT ?c WHERE { ?c a ck:Chip FILTER (NOT EXISTS { ?c ck:fabricatedBy ?f } && true) }""",
    "bound-by-bind-only": """SELECT ?c WHERE { BIND(kg:micron AS ?c) FILTER NOT EXISTS { ?d ck:party ?c } }""",
    "bound-by-values-only": """SELECT ?c WHERE { VALUES ?c { kg:micron kg:samsung } FILTER NOT EXISTS { ?d ck:party ?c } }""",
    "inner-variable-projected": """SELECT ?c ?f WHERE { ?c a ck:Chip FILTER NOT EXISTS { ?c ck:fabricatedBy ?f } }""",
    "inside-exists": """SELECT ?d WHERE { ?d a ck:Deal FILTER EXISTS { ?d ck:party ?p
        FILTER NOT EXISTS { ?p ck:designedBy ?d } } }""",
    "union-inside": """SELECT ?c WHERE { ?c a ck:Chip FILTER NOT EXISTS { { ?c ck:fabricatedBy ?f } UNION { ?c ck:designedBy ?f } } }""",
    "minus-already": """SELECT ?c WHERE { ?c a ck:Chip MINUS { ?c ck:fabricatedBy ?f } }""",
}


def rewrite(query: str) -> tuple[str, int]:
    return not_exists_to_minus(inspect(P + query, 128, []))


@pytest.mark.parametrize("name", REWRITTEN)
def test_provably_equivalent_forms_are_rewritten_to_valid_sparql(name):
    text, count = rewrite(REWRITTEN[name])
    assert count == REWRITTEN[name].upper().count("NOT EXISTS") and "NOT EXISTS" not in text.upper()
    assert text.upper().count("MINUS") == count
    ox.Store().query(text)      # still valid SPARQL


@pytest.mark.parametrize("name", KEPT)
def test_other_forms_are_left_as_written(name):
    assert rewrite(KEPT[name]) == (P + KEPT[name], 0)


def test_minus_goes_to_the_end_of_the_group():
    text, _ = rewrite(REWRITTEN["filter-in-the-middle-no-dots"])
    body = " ".join(text[len(P):].split())
    assert body == ("SELECT ?c ?l WHERE { ?c a ck:Chip . ?c rdfs:label ?l MINUS { ?c ck:fabricatedBy ?f } }")


@pytest.fixture(scope="module")
def apps(tmp_path_factory, shipped):
    """Apps over the shipped graph and over a synthetic graph, each with the rewrite on and off."""
    synthetic = tmp_path_factory.mktemp("synth") / "synth.nq"
    write_synthetic(synthetic, 4000, 7)
    synthetic_data = dataset_of(store_of(read_quads(Layout().ontology_files + [synthetic])))
    built = {}
    for label, dataset in (("shipped", shipped), ("synthetic", synthetic_data)):
        for on in (True, False):
            built[label, on] = create_app({"REWRITE_NOT_EXISTS": on}, dataset).test_client()
    return built


def answer(client, query: str) -> tuple[Counter, str | None]:
    response = client.post("/sparql", data={"query": P + query}, headers={"Accept": "text/tab-separated-values"})
    assert response.status_code == 200, response.data
    lines = response.data.decode().splitlines()
    return Counter(lines[1:]), response.headers.get("Chipkg-Rewrites")


@pytest.mark.parametrize("data", ["shipped", "synthetic"])
@pytest.mark.parametrize("name", list(REWRITTEN) + list(KEPT))
def test_rewritten_and_original_give_identical_answers(apps, data, name):
    query = {**REWRITTEN, **KEPT}[name]
    rewritten, header = answer(apps[data, True], query)
    original, no_header = answer(apps[data, False], query)
    assert rewritten == original
    assert no_header is None
    assert (header is not None) == (name in REWRITTEN)


def test_the_queries_are_not_trivially_empty(apps):
    """Equivalence on empty answers proves little: most answers must have rows."""
    sizes = [sum(answer(apps["synthetic", True], q)[0].values()) for q in REWRITTEN.values()]
    assert sum(1 for s in sizes if s > 0) >= len(sizes) - 1, sizes
