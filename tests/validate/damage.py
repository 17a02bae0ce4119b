"""Many kinds of damage at once to a synthetic graph, as SPARQL updates.

Each update picks its own node (the Nth deal, claim, quote...) so the kinds do
not hide one another; together they fire every shape of shapes/, some on many
nodes (the inverted band of ev:Unsupported fails every claim at that level).
Used by the equivalence tests (tests/validate/) and bench/validate.py.
"""

import pyoxigraph as ox

PREFIXES = """PREFIX ck: <https://w3id.org/chipkg/ontology#>
PREFIX ev: <https://w3id.org/chipkg/evidence#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def _nth(kind: str, n: int, extra: str = "") -> str:
    # updates see the real default graph (the ontology), not the union: name the graph
    return (f"{{ SELECT ?x WHERE {{ GRAPH ?picked {{ ?x a {kind} {extra} }} }} "
            f"ORDER BY ?x LIMIT 1 OFFSET {n} }}")


def _replace(kind: str, n: int, old: str, new: str, extra: str = "", bind: str = "") -> str:
    """Delete the pattern `old` on the Nth node of `kind` and insert `new` in the same graph."""
    return (f"DELETE {{ GRAPH ?g {{ {old} }} }} INSERT {{ GRAPH ?g {{ {new} }} }} "
            f"WHERE {{ {_nth(kind, n, extra)} GRAPH ?g {{ {old} }} {bind} }}")


def _delete(kind: str, n: int, old: str, extra: str = "") -> str:
    return _replace(kind, n, old, "", extra)


UPDATES = {
    "deal-without-confidence": _delete("ck:Deal", 1, "?x ck:confidence ?c"),
    "deal-confidence-above-one": _replace("ck:Deal", 2, "?x ck:confidence ?c", "?x ck:confidence 1.5"),
    "deal-confidence-as-string": _replace("ck:Deal", 3, "?x ck:confidence ?c",
                                          '?x ck:confidence "0.95"', "; ck:evidenceLevel ev:Reported"),
    "deal-with-one-party": (f"DELETE {{ GRAPH ?g {{ ?x ck:party ?p }} }} WHERE {{ {_nth('ck:Deal', 5)} "
                            "GRAPH ?g { ?x ck:party ?p FILTER EXISTS { ?x ck:party ?q FILTER(STR(?q) < STR(?p)) } } }"),
    "deal-party-not-a-company": _replace("ck:Deal", 6, "?x ck:party ?p", "?x ck:party ev:Reported"),
    "deal-without-type": _delete("ck:Deal", 7, "?x ck:dealType ?t"),
    "deal-with-two-levels": _replace("ck:Deal", 8, "?x a ck:Deal", "?x a ck:Deal ; ck:evidenceLevel ev:Denied"),
    "deal-without-source": _delete("ck:Deal", 9, "?x prov:wasDerivedFrom ?s"),
    "claim-without-about": _delete("ck:Claim", 1, "?x schema:about ?a"),
    "claim-without-quote": _delete("ck:Claim", 2, "?x ck:hasQuote ?q"),
    "claim-without-source": _delete("ck:Claim", 3, "?x prov:wasDerivedFrom ?s"),
    "claim-level-outside-scheme": _replace("ck:Claim", 4, "?x ck:evidenceLevel ?l",
                                           "?x ck:evidenceLevel ck:Foundry"),
    "claim-confidence-outside-band": _replace("ck:Claim", 5, "?x ck:confidence ?c", "?x ck:confidence 0.95",
                                              "; ck:evidenceLevel ev:Reported"),
    "claim-date-as-text": _replace("ck:Claim", 0, "?x a ck:Claim", '?x a ck:Claim ; ck:eventDate "3 March 2026"',
                                   "", ""),
    "claim-text-empty": _replace("ck:Claim", 6, "?x schema:text ?t", '?x schema:text ""'),
    "confirmed-claim-with-hedged-quote": (
        "DELETE { GRAPH ?g { ?sel oa:exact ?e } } INSERT { GRAPH ?g { ?sel oa:exact ?hedged } } WHERE { "
        + _nth("ck:Claim", 0, "; ck:evidenceLevel ev:OfficiallyConfirmed")
        + " GRAPH ?g { ?x ck:hasQuote ?q . ?q oa:hasSelector ?sel . ?sel oa:exact ?e } "
          "BIND (CONCAT(\"reportedly \", SUBSTR(?e, 12)) AS ?hedged) }"),
    "quote-offsets-inconsistent": (
        "DELETE { GRAPH ?g { ?sel oa:end ?e } } INSERT { GRAPH ?g { ?sel oa:end ?e2 } } WHERE { "
        + _nth("ck:Quote", 1) + " GRAPH ?g { ?x oa:hasSelector ?sel . ?sel oa:end ?e } BIND (?e + 3 AS ?e2) }"),
    "quote-start-after-end": (
        "DELETE { GRAPH ?g { ?sel oa:start ?s } } INSERT { GRAPH ?g { ?sel oa:start ?s2 } } WHERE { "
        + _nth("ck:Quote", 2) + " GRAPH ?g { ?x oa:hasSelector ?sel . ?sel oa:start ?s ; oa:end ?e } "
          "BIND (?e + 5 AS ?s2) }"),
    "quote-without-source": _delete("ck:Quote", 3, "?x oa:hasSource ?s"),
    "quote-without-text-selector": (
        "DELETE { GRAPH ?g { ?x oa:hasSelector ?sel } } WHERE { " + _nth("ck:Quote", 4)
        + " GRAPH ?g { ?x oa:hasSelector ?sel . ?sel a oa:TextQuoteSelector } }"),
    "source-with-bad-sha256": _replace("ck:SourceDocument", 1, "?x ck:sha256 ?h", "?x ck:sha256 ?upper",
                                       "", "BIND (UCASE(?h) AS ?upper)"),
    "source-without-title": _delete("ck:SourceDocument", 2, "?x dcterms:title ?t"),
    "move-without-member": _delete("ck:PersonMove", 0, "?x org:member ?m"),
    "undeclared-term": _replace("ck:Deal", 10, "?x ck:party ?p", "?x ck:party ?p ; ck:partyOf ?p"),
    "term-without-definition": ("DELETE WHERE { ck:party skos:definition ?d }"),
    "level-band-inverted": ("DELETE { ev:Unsupported ck:minConfidence ?l } INSERT { ev:Unsupported "
                            "ck:minConfidence 0.5 } WHERE { ev:Unsupported ck:minConfidence ?l }"),
}


# Not in UPDATES: pySHACL and the standard disagree on it in two rows (see
# tests/validate/test_equivalence.py, which pins the standard's answer).
ILL_TYPED = _replace("ck:Deal", 4, "?x ck:confidence ?c", '?x ck:confidence "high"^^xsd:decimal')


def damage(store: ox.Store) -> None:
    """Apply every kind of damage to the store (the ontology in its default graph)."""
    for name, update in UPDATES.items():
        try:
            store.update(PREFIXES + update)
        except SyntaxError as error:
            raise AssertionError(f"damage {name}: {error}") from None
