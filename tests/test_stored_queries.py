"""Each stored query answers its question with exactly the rows the article supports.

The expected rows were read off the article and the graph by hand; a query that
drifts (a lost OPTIONAL, a wrong filter) or data that changes fails here.
"""

import pytest

from chipkg.errors import UnusableInput

from stored_helpers import EV, KG, run


def local(iri: str | None) -> str | None:
    return iri.removeprefix(KG) if iri else iri


def test_there_are_at_least_twelve_with_titles_descriptions_and_typed_defaults(stored):
    assert len(stored) >= 12
    for query in stored.values():
        assert query.title and query.description, query.name
        for param in query.params:
            param.term(None)            # every default is a valid value of its kind


def test_level_parameters_take_notation_name_label_or_iri_and_refuse_others(stored):
    param = stored["claims-about-role-below-level"].params[1]
    assert param.kind == "level" and param.default == "CONF"
    for spelling in ("REP", "Reported", "reported", "ev:Reported", EV + "Reported", f"<{EV}Reported>"):
        assert param.term(spelling).value == EV + "Reported"
    for bad in ("CONFIRMED", "ev:Nope", "kg:samsung", "5"):
        with pytest.raises(UnusableInput, match="not an evidence level"):
            param.term(bad)


def test_compute_dependencies(shipped_store, stored):
    rows = run(shipped_store, stored, "compute-dependencies")
    links = [(local(r["lab"]), local(r["supplier"]), local(r["via"]), local(r["evidence"]), r["level"])
             for r in rows]
    deal = "deal-anthropic-amazon-partnership-expansion"
    assert links == [
        ("anthropic", "aws", deal, deal, "officially confirmed"),
        ("anthropic", "amazon", deal, deal, "officially confirmed"),
        ("anthropic", "aws", "aws-trainium", "claim-anthropic-1m-trainium2", "officially confirmed"),
        ("anthropic", "aws", "trainium2", "claim-anthropic-1m-trainium2", "officially confirmed"),
        ("anthropic", "aws", "aws-trainium", "claim-anthropic-multi-hardware-strategy", "officially confirmed"),
        ("anthropic", "google", "google-tpu", "claim-anthropic-multi-hardware-strategy", "officially confirmed"),
        ("anthropic", "nvidia", "nvidia-gpu", "claim-anthropic-multi-hardware-strategy", "officially confirmed"),
        ("anthropic", "aws", "aws-trainium", "claim-anthropic-relies-on-trainium-tpu-gpu", "reported"),
        ("anthropic", "google", "google-tpu", "claim-anthropic-relies-on-trainium-tpu-gpu", "reported"),
        ("anthropic", "nvidia", "nvidia-gpu", "claim-anthropic-relies-on-trainium-tpu-gpu", "reported"),
        ("anthropic", "nvidia", "nvidia-gpu", "claim-custom-chips-offload-inference", "speculative"),
        ("openai", "nvidia", "nvidia-gpu", "claim-jalapeno-not-replacing-gpu-demand", "reported"),
    ]
    confirmed = run(shipped_store, stored, "compute-dependencies", floor="CONF")
    assert len(confirmed) == 7 and {r["level"] for r in confirmed} == {"officially confirmed"}


def test_unconfirmed_claims_about_a_foundry(shipped_store, stored):
    rows = run(shipped_store, stored, "claims-about-role-below-level")
    assert {local(r["org"]) for r in rows} == {"samsung"}      # the only organization the source calls a foundry
    assert [(local(r["claim"]), r["level"], float(r["confidence"])) for r in rows] == [
        ("claim-anthropic-samsung-confirmed-deal", "unsupported", 0.1),
        ("claim-anthropic-contacted-samsung", "unsupported", 0.15),
        ("claim-samsung-secured-anthropic-order", "unsupported", 0.15),
        ("claim-samsung-manufacturing-involvement-unconfirmed", "speculative", 0.25),
        ("claim-samsung-role-unconfirmed", "speculative", 0.25),
        ("claim-outsiders-link-samsung", "speculative", 0.3),
        ("claim-samsung-potential-participant", "speculative", 0.35),
        ("claim-samsung-may-benefit-outsourcing", "speculative", 0.4),
        ("claim-supply-chain-beneficiaries", "speculative", 0.4),
        ("claim-infrastructure-partner-discussions", "reported", 0.75),
        ("claim-samsung-manufacturing-capabilities", "reported", 0.75),
    ]
    contacted = next(r for r in rows if r["claim"].endswith("contacted-samsung"))
    assert contacted["hedges"] == "not well supported"
    assert contacted["quote"].startswith("Claims that Anthropic has contacted Samsung")
    memory = run(shipped_store, stored, "claims-about-role-below-level", role="ck:MemoryMaker", below="CONF")
    assert [local(r["claim"]) for r in memory] == ["claim-infrastructure-partner-discussions"]


def test_what_the_graph_knows_about_jalapeno_at_each_level(shipped_store, stored):
    rows = run(shipped_store, stored, "evidence-profile")
    assert [(r["level"], r["claims"], r["lowest"] and float(r["lowest"]),
             r["highest"] and float(r["highest"])) for r in rows] == [
        ("officially confirmed", "8", 0.92, 0.95),
        ("reported", "3", 0.65, 0.8),
        ("speculative", "0", None, None),
        ("unsupported", "0", None, None),
        ("denied", "0", None, None),
    ]
    reported = set(rows[1]["texts"].split(" | "))
    assert "Jalapeño has been released and has entered testing, but it is not yet in large-scale " \
           "commercial use." in reported
    samsung = run(shipped_store, stored, "evidence-profile", subject="kg:samsung")
    assert [r["claims"] for r in samsung] == ["0", "2", "6", "3", "0"]


def test_claims_on_the_record_of_a_named_party(shipped_store, stored):
    rows = run(shipped_store, stored, "claims-on-record")
    assert len(rows) == 21
    assert {r["level"] for r in rows} == {"officially confirmed"}     # no hedged claim is on record
    assert {r["aboutItself"] for r in rows} == {"true"}
    by_party = {}
    for r in rows:
        by_party.setdefault(local(r["party"]), set()).add(local(r["claim"]))
    assert {p: len(c) for p, c in by_party.items()} == {"anthropic": 5, "broadcom": 6, "openai": 5,
                                                         "micron": 5}
    # Broadcom's positioning of Jalapeño: on Broadcom's record, about the chip, not about the deal
    positioning = next(r for r in rows if r["claim"].endswith("jalapeno-llm-inference-accelerator"))
    assert positioning["partyToDeal"] == "false"
    released = next(r for r in rows if r["claim"].endswith("jalapeno-released"))
    assert local(released["party"]) == "broadcom" and released["partyToDeal"] == "true"


def test_deal_values_and_capacities_keep_their_bounds(shipped_store, stored):
    rows = run(shipped_store, stored, "deal-amounts")
    assert [(local(r["deal"]), r["measure"], r["atLeast"], r["atMost"], r["exactly"], r["unit"], r["term"])
            for r in rows] == [
        ("deal-anthropic-amazon-partnership-expansion", "capacity", None, "5", None, "GW", "P10Y"),
        ("deal-anthropic-amazon-partnership-expansion", "value", "100000000000", None, None, "USD", "P10Y"),
    ]


def test_person_moves(shipped_store, stored):
    for org in ("kg:anthropic", "kg:openai"):
        rows = run(shipped_store, stored, "person-moves", org=org)
        assert [(r["personLabel"], r["fromLabel"], r["toLabel"], local(r["claim"]), r["level"],
                 float(r["confidence"]), r["hedges"]) for r in rows] == [
            ("Clive Chan", "OpenAI", "Anthropic", "claim-clive-chan-joined-anthropic", "reported",
             0.7, "According to reports")]
    assert run(shipped_store, stored, "person-moves", org="kg:micron") == []


def test_chips_with_no_named_foundry(shipped_store, stored):
    rows = run(shipped_store, stored, "chips-without-foundry")
    assert [(local(r["chip"]), r["designerLabel"], r["stage"], r["claimsWithRole"], r["candidates"],
             r["bestLevel"]) for r in rows] == [
        ("anthropic-server-chip", "Anthropic", "exploration", "5", "Samsung", "speculative"),
        ("jalapeno", "OpenAI", "engineering samples", "0", None, None),
        ("trainium2", None, None, "0", None, None),
    ]


def test_hedge_cues_per_level(shipped_store, stored):
    rows = run(shipped_store, stored, "hedge-cues")
    cues = {(r["level"], r["hedge"]): int(r["claims"]) for r in rows}
    assert len(rows) == 24
    assert cues[("officially confirmed", "about")] == 1
    assert cues[("reported", "reportedly")] == 2 and cues[("reported", "According to reports")] == 1
    assert cues[("unsupported", "not well supported")] == 1
    assert [r["level"] for r in rows] == sorted((r["level"] for r in rows), key=[
        "officially confirmed", "reported", "speculative", "unsupported", "denied"].index)
    confirmed = run(shipped_store, stored, "hedge-cues", containing="CONFIRMED")
    assert [(r["level"], r["hedge"]) for r in confirmed] == [
        ("speculative", "has not been confirmed"), ("speculative", "have not yet been confirmed"),
        ("speculative", "not yet a confirmed chip order line"), ("speculative", "unconfirmed"),
        ("unsupported", "cannot yet be written as a confirmed deal")]


def test_sources_and_their_reliability(shipped_store, stored):
    rows = run(shipped_store, stored, "sources-and-reliability")
    article = [r for r in rows if local(r["source"]) == "source-blockbeats-anthropic-ai-chips-samsung"]
    assert {(r["publisherLabel"], r["republisherLabel"], r["issued"], r["grade"], r["gradeLabel"])
            for r in article} == {("BlockBeats", "Gate", "2026", "F", "F: reliability cannot be judged")}
    assert {r["level"]: int(r["claims"]) for r in article} == {
        "officially confirmed": 18, "reported": 21, "speculative": 13, "unsupported": 3}
    documents = {row["s"].value for row in shipped_store.query(
        "SELECT ?s WHERE { ?s a <https://w3id.org/chipkg/ontology#SourceDocument> }",
        use_default_graph_as_union=True)}
    assert {r["source"] for r in rows} == documents          # every source is listed, with claims or not
    assert all(r["claims"] == "0" and r["level"] is None for r in rows if r not in article)
    floor = run(shipped_store, stored, "sources-and-reliability", floor="SPEC")
    assert [r["level"] for r in floor if r["source"] == article[0]["source"]] == [
        "officially confirmed", "reported", "speculative"]


def test_chip_milestones_keep_the_sources_precision(shipped_store, stored):
    rows = run(shipped_store, stored, "chip-milestones")
    assert [(local(r["chip"]), r["currentStage"], r["milestoneStage"], r["planned"], r["targetDate"])
            for r in rows] == [
        ("anthropic-server-chip", "exploration", None, None, None),
        ("jalapeno", "engineering samples", "tape-out", "false", None),
        ("jalapeno", "engineering samples", "engineering samples", "false", None),
        ("jalapeno", "engineering samples", "deployment", "true", "2026"),     # a year, not a day
        ("trainium2", None, None, None, None),
    ]
    query = stored["chip-milestones"]
    dated = [row["targetDate"] for row in shipped_store.query(query.text, use_default_graph_as_union=True)
             if row["targetDate"] is not None]
    assert [d.datatype.value for d in dated] == ["http://www.w3.org/2001/XMLSchema#gYear"]


def test_every_deal_by_evidence(shipped_store, stored):
    rows = run(shipped_store, stored, "deals-by-evidence")
    assert [(local(r["deal"]), r["level"], float(r["confidence"]), r["announcedOn"],
             set(r["parties"].split(", "))) for r in rows] == [
        ("deal-anthropic-amazon-partnership-expansion", "officially confirmed", 0.95, "2026-04",
         {"Anthropic", "Amazon", "AWS"}),
        ("deal-micron-anthropic-strategic-agreement", "officially confirmed", 0.95, "2026-06-22",
         {"Anthropic", "Micron"}),
        ("deal-openai-broadcom-jalapeno", "officially confirmed", 0.95, "2026-06-24", {"OpenAI", "Broadcom"}),
        ("deal-anthropic-samsung-foundry", "unsupported", 0.1, None, {"Anthropic", "Samsung"}),
    ]
