"""Queries and constants shared by the endpoint tests."""

CK = "PREFIX ck: <https://w3id.org/chipkg/ontology#>\n"
EV = "PREFIX ev: <https://w3id.org/chipkg/evidence#>\n"
GRAPH = "https://w3id.org/chipkg/graph/blockbeats-anthropic-ai-chips-samsung"
DEALS = CK + "SELECT ?deal WHERE { ?deal a ck:Deal } ORDER BY ?deal"
CONSTRUCT_DEALS = CK + "CONSTRUCT { ?deal a ck:Deal ; ck:party ?p } WHERE { ?deal a ck:Deal ; ck:party ?p }"
# about 1.3 s of work on the shipped graph: enough to outlast a short timeout, and it ends
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(?c != ?f) }")
# Outlasts any short limit on an external store: a warmed-up Virtuoso answers SLOW in under
# a second (16 s cold), so a three-way product there. The store stops it at its own limit;
# never send it to the embedded store, where nothing would stop it.
SLOWER = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
          "FILTER(?c != ?f && ?f != ?i) }")


def slow_for(backend: str) -> str:
    """A query that outlasts a short time limit on `backend`, and ends there."""
    return SLOW if backend == "embedded" else SLOWER


def backends_except(*kinds: str, reason: str):
    """Run a test on every backend of the session but `kinds`, for a documented deviation of
    those stores (docs/endpoint.md, "Adapters"); `reason` says which."""
    import os

    import pytest
    chosen = os.environ.get("CHIPKG_TEST_BACKENDS", "embedded,oxigraph,virtuoso").split(",")
    kept = [b for b in ("embedded", "oxigraph", "virtuoso") if b in chosen and b not in kinds]
    return pytest.mark.parametrize("shipped", kept, indirect=True, ids=lambda b: f"{b}")
