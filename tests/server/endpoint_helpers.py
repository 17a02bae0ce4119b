"""Queries and constants shared by the endpoint tests."""

CK = "PREFIX ck: <https://w3id.org/chipkg/ontology#>\n"
EV = "PREFIX ev: <https://w3id.org/chipkg/evidence#>\n"
GRAPH = "https://w3id.org/chipkg/graph/blockbeats-anthropic-ai-chips-samsung"
DEALS = CK + "SELECT ?deal WHERE { ?deal a ck:Deal } ORDER BY ?deal"
CONSTRUCT_DEALS = CK + "CONSTRUCT { ?deal a ck:Deal ; ck:party ?p } WHERE { ?deal a ck:Deal ; ck:party ?p }"
# about 1.3 s of work on the shipped graph: enough to outlast a short timeout, and it ends
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(?c != ?f) }")
