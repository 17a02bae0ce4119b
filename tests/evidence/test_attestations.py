"""One claim, one attestation per source: the derived level, conflicts and history."""

from decimal import Decimal as D
from pathlib import Path

import pyoxigraph as ox

from chipkg.evidence.compiling import compile_files
from chipkg.evidence.derive import Support, derive
from chipkg.project import Layout
from chipkg.queries import stored_queries
from chipkg.rdfio import read_quads

FIXTURES = Path(__file__).parent.parent / "fixtures"
CLAIM = "https://w3id.org/chipkg/id/claim-orion-zephyr-wafer-agreement"
NAMES = ["northwind-orion-zephyr", "zephyr-press-release", "bellhaven-orion-denies"]


def _store(names):
    files = compile_files([FIXTURES / "claims" / f"{n}.yaml" for n in names], FIXTURES / "sources")
    store = ox.Store()
    store.extend(read_quads(Layout().ontology_files))
    for data in files.values():
        store.load(data, format=ox.RdfFormat.TRIG)
    return store


def _level(store) -> tuple[str, str]:
    row = next(iter(store.query(
        f"SELECT ?n ?c WHERE {{ <{CLAIM}> <https://w3id.org/chipkg/ontology#evidenceLevel>/"
        "<http://www.w3.org/2004/02/skos/core#notation> ?n ; <https://w3id.org/chipkg/ontology#confidence> ?c }",
        use_default_graph_as_union=True)))
    return row["n"].value, row["c"].value


def _run(store, name, **params):
    query = stored_queries(Layout().queries_dir)[name]
    return list(store.query(query.text, substitutions=query.substitutions(params),
                            use_default_graph_as_union=True))


def test_a_partys_announcement_outranks_a_report_and_a_later_denial_lowers_it():
    assert _level(_store(NAMES[:1])) == ("REP", "0.65")
    assert _level(_store(NAMES[:2])) == ("CONF", "0.95")
    assert _level(_store(NAMES)) == ("DEN", "0.15")


def test_each_source_keeps_its_own_attestation_and_the_history_is_in_date_order():
    rows = _run(_store(NAMES), "claim-evidence-history", claim=CLAIM)
    assert [(r["notation"].value, r["issued"].value) for r in rows] == [
        ("REP", "2026-03-02"), ("CONF", "2026-04-10"), ("DEN", "2026-05-20")]
    assert "has reportedly signed" in rows[0]["quotes"].value
    assert "announced" in rows[1]["quotes"].value and "denied" in rows[2]["quotes"].value


def test_conflicts_are_marked_and_listed():
    store = _store(NAMES)
    pairs = {(r["levelA"].value, r["levelB"].value) for r in _run(store, "conflicting-claims")}
    assert pairs == {("CONF", "DEN"), ("REP", "DEN")}
    assert not _run(_store(NAMES[:2]), "conflicting-claims")


def test_independent_reports_raise_confidence_within_the_band():
    one = Support("a", 4, D("0.80"), ("2026-01-01", "2026-01-01"), "Wire A")
    two = Support("b", 4, D("0.70"), ("2026-02-01", "2026-02-01"), "Wire B")
    same = Support("c", 4, D("0.70"), ("2026-02-01", "2026-02-01"), "Wire A")
    assert derive([one, two]).confidence == D("0.85")
    assert derive([one, same]).confidence == D("0.80")          # same publisher: not independent
    assert derive([one, two, Support("d", 4, D("0.6"), None, "Wire C")]).confidence == D("0.85")  # capped


def test_a_denial_and_a_confirmation_of_unknown_order_keep_the_lower_level():
    conf = Support("a", 5, D("0.95"), ("2026-01-01", "2026-12-31"), "P")
    den = Support("b", 1, D("0.10"), ("2026-06-01", "2026-06-01"), "Q")
    result = derive([conf, den])
    assert result.rank == 1 and result.conflict and "uncertain" in result.note
    later = Support("c", 5, D("0.95"), ("2027-01-05", "2027-01-05"), "P")
    assert derive([den, later]).rank == 5


def test_a_single_attestation_keeps_its_grade():
    only = Support("a", 3, D("0.30"), None, None)
    assert (derive([only]).rank, derive([only]).confidence, derive([only]).conflict) == (3, D("0.30"), False)


def test_the_shipped_claims_keep_their_levels_without_attestations(layout):
    store = ox.Store()
    store.extend(read_quads(layout.ontology_files + layout.graph_files))
    rows = list(store.query("PREFIX ck: <https://w3id.org/chipkg/ontology#> SELECT (COUNT(*) AS ?n) "
                            "(SUM(IF(EXISTS { ?c ck:hasAttestation ?a }, 1, 0)) AS ?with) "
                            "WHERE { ?c a ck:Claim ; ck:evidenceLevel ?l }", use_default_graph_as_union=True))
    assert (int(rows[0]["n"].value), int(rows[0]["with"].value)) == (55, 0)


def test_the_level_table_is_the_ontologys(layout):
    from chipkg.evidence.levels import LEVELS
    store = ox.Store()
    store.extend(read_quads(layout.ontology_files))
    rows = store.query("PREFIX ck: <https://w3id.org/chipkg/ontology#> "
                       "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                       "SELECT ?l ?n ?label ?r ?lo ?hi WHERE { ?l a ck:EvidenceLevel ; skos:notation ?n ; "
                       "skos:prefLabel ?label ; ck:rank ?r ; ck:minConfidence ?lo ; ck:maxConfidence ?hi }")
    found = {(r["l"].value, r["n"].value, r["label"].value, int(r["r"].value), float(r["lo"].value),
              float(r["hi"].value)) for r in rows}
    assert found == {(lv.iri, lv.notation, lv.label, lv.rank, lv.low, lv.high) for lv in LEVELS}
