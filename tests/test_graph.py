"""The shipped graph answers researchers' questions, and is exactly as careful as the article."""

from chipkg.namespaces import sparql_prologue

from stored_helpers import EV, KG, run


def ask(store, body: str) -> bool:
    return bool(store.query(sparql_prologue() + f"ASK {{ {body} }}", use_default_graph_as_union=True))


def test_confirmed_deals_with_a_memory_maker_and_who_announced_them(shipped_store, stored):
    rows = run(shipped_store, stored, "confirmed-deals-with-memory-makers")
    assert {r["deal"] for r in rows} == {KG + "deal-micron-anthropic-strategic-agreement"}
    assert {r["announcedBy"] for r in rows} == {KG + "micron"}
    assert {r["announcedOn"] for r in rows} == {"2026-06-22"}
    assert any(r["quote"].startswith("Micron announced on June 22, 2026") for r in rows)


def test_everything_about_broadcom_most_certain_first(shipped_store, stored):
    rows = run(shipped_store, stored, "claims-about", org="kg:broadcom")
    claims = [r["claim"] for r in rows]
    assert KG + "claim-jalapeno-released" in claims
    assert KG + "claim-supply-chain-beneficiaries" in claims
    keys = [(int(r["rank"]), float(r["confidence"])) for r in rows]
    assert keys == sorted(keys, reverse=True), "not ordered most certain first"
    assert keys[0][0] == 5 and keys[-1][0] < 5


def test_claims_about_samsung_below_reported(shipped_store, stored):
    rows = run(shipped_store, stored, "claims-below-level", org="kg:samsung", below="ev:Reported")
    claims = {r["claim"].removeprefix(KG) for r in rows}
    assert {"claim-samsung-secured-anthropic-order", "claim-anthropic-contacted-samsung",
            "claim-anthropic-samsung-confirmed-deal",
            "claim-samsung-manufacturing-involvement-unconfirmed"} <= claims
    assert "claim-samsung-manufacturing-capabilities" not in claims  # reported, not below
    assert {r["level"] for r in rows} <= {"speculative", "unsupported", "denied"}


def test_the_samsung_deal_is_kept_and_kept_unsupported(shipped_store):
    assert ask(shipped_store, "kg:deal-anthropic-samsung-foundry a ck:Deal ; ck:evidenceLevel ev:Unsupported")
    assert ask(shipped_store, "kg:claim-anthropic-contacted-samsung ck:hedgeCue ?cue "
                      "FILTER CONTAINS(?cue, 'not well supported')")


def test_hedged_claims_are_never_upgraded(shipped_store):
    """A quote that says 'reportedly' or 'not confirmed' never carries a confirmed claim."""
    assert not ask(shipped_store, """?claim ck:evidenceLevel ev:OfficiallyConfirmed ;
        ck:hasQuote/oa:hasSelector/oa:exact ?quote
        FILTER REGEX(?quote, "reportedly|according to reports|not (yet )?(been )?confirmed|not well supported", "i")""")
    assert ask(shipped_store, "kg:claim-clive-chan-joined-anthropic ck:evidenceLevel ev:Reported")
    assert ask(shipped_store, "kg:claim-anthropic-exploring-server-chips ck:evidenceLevel ev:Reported")


def test_every_level_but_denied_is_used_and_confidence_sits_in_its_band(shipped_store):
    levels = {row["l"].value for row in shipped_store.query(
        sparql_prologue() + "SELECT DISTINCT ?l WHERE { ?c a ck:Claim ; ck:evidenceLevel ?l }",
        use_default_graph_as_union=True)}
    assert levels == {EV + n for n in ("OfficiallyConfirmed", "Reported", "Speculative", "Unsupported")}
    assert not ask(shipped_store, """?c ck:evidenceLevel ?l ; ck:confidence ?v .
        ?l ck:minConfidence ?lo ; ck:maxConfidence ?hi FILTER(?v < ?lo || ?v > ?hi)""")


def test_unknown_publication_facts_stay_unknown(shipped_store):
    source = "kg:source-blockbeats-anthropic-ai-chips-samsung"
    assert not ask(shipped_store, f"{source} schema:url ?url")
    assert not ask(shipped_store, f"{source} schema:datePublished ?date")
    assert ask(shipped_store, f'{source} dcterms:issued "2026"^^xsd:gYear')


def test_dates_keep_their_precision(shipped_store):
    assert ask(shipped_store, 'kg:deal-anthropic-amazon-partnership-expansion ck:announcedOn "2026-04"^^xsd:gYearMonth')
    assert ask(shipped_store, 'kg:jalapeno-deployment ck:planned true ; ck:targetDate "2026"^^xsd:gYear')
    assert not ask(shipped_store, "kg:claim-samsung-secured-anthropic-order ck:eventDate ?d")


def test_one_named_graph_per_source_document(shipped_store):
    graphs = {row["g"].value: row["s"].value for row in shipped_store.query(sparql_prologue() + """
        SELECT ?g ?s WHERE { ?g dcterms:source ?s . GRAPH ?g { ?s a ck:SourceDocument } }""")}
    in_store = {g.value for g in shipped_store.named_graphs()}
    assert set(graphs) == in_store and len(in_store) >= 1
    assert not ask(shipped_store, "GRAPH ?g { ?c a ck:Claim ; prov:wasDerivedFrom ?s } ?g dcterms:source ?other "
                          "FILTER(?s != ?other)")
