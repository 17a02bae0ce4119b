"""Counts that describe a dataset, computed by SPARQL on the store."""

import pyoxigraph as ox

from .namespaces import sparql_prologue

_COUNTS = {
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "named_graphs": "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "organizations": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ck:Company }",
    "people": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a schema:Person }",
    "chips": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ck:Chip }",
    "deals": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ck:Deal }",
    "claims": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ck:Claim }",
    "sources": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ck:SourceDocument }",
}

_BY_LEVEL = """
SELECT ?level (COUNT(DISTINCT ?x) AS ?n) WHERE {
    ?x a ?kind ; ck:evidenceLevel ?concept .
    ?concept skos:notation ?level ; ck:rank ?rank .
} GROUP BY ?level ?rank ORDER BY DESC(?rank)"""


def dataset_stats(store: ox.Store) -> dict:
    prologue = sparql_prologue()

    def number(query: str) -> int:
        rows = list(store.query(prologue + query, use_default_graph_as_union=True))
        return int(rows[0]["n"].value) if rows else 0

    numbers: dict = {name: number(q) for name, q in _COUNTS.items()}
    for kind in ("Claim", "Deal"):
        query = _BY_LEVEL.replace("?kind", f"ck:{kind}")
        rows = store.query(prologue + query, use_default_graph_as_union=True)
        numbers[f"{kind.lower()}s_by_level"] = {r["level"].value: int(r["n"].value) for r in rows}
    return numbers


def stats_text(numbers: dict) -> str:
    lines = []
    for name, value in numbers.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) or "none"
        lines.append(f"{name.replace('_', ' ')}: {value}")
    return "\n".join(lines)
