"""Queries and constants shared by the endpoint tests."""

CK = "PREFIX ck: <https://w3id.org/chipkg/ontology#>\n"
EV = "PREFIX ev: <https://w3id.org/chipkg/evidence#>\n"
GRAPH = "https://w3id.org/chipkg/graph/blockbeats-anthropic-ai-chips-samsung"
DEALS = CK + "SELECT ?deal WHERE { ?deal a ck:Deal } ORDER BY ?deal"
CONSTRUCT_DEALS = CK + "CONSTRUCT { ?deal a ck:Deal ; ck:party ?p } WHERE { ?deal a ck:Deal ; ck:party ?p }"
# about 1.3 s of work on the shipped graph: enough to outlast a short timeout, and it ends
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(?c != ?f) }")


def backends_except(*kinds: str, reason: str):
    """Run a test on every backend of the session but `kinds`, for a documented deviation of
    those stores (docs/endpoint.md, "Adapters"); `reason` says which."""
    import os

    import pytest
    chosen = os.environ.get("CHIPKG_TEST_BACKENDS", "embedded,oxigraph,virtuoso").split(",")
    kept = [b for b in ("embedded", "oxigraph", "virtuoso") if b in chosen and b not in kinds]
    return pytest.mark.parametrize("shipped", kept, indirect=True, ids=lambda b: f"{b}")
