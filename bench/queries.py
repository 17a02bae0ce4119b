"""The researcher queries of the benchmark, written against `chipkg synth` data.

The synthetic generator makes kg:org-000001 its most popular organization (a model lab
that also designs chips), kg:org-000007 a model lab only, and numbers deals from
kg:deal-000001; the queries below rely on that. None names a graph: every server
serves the union of the named graphs as its default graph.
"""

PROLOGUE = """PREFIX ck: <https://w3id.org/chipkg/ontology#>
PREFIX ev: <https://w3id.org/chipkg/evidence#>
PREFIX kg: <https://w3id.org/chipkg/id/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

QUERIES = {
    # Every deal of one organization, with the other parties, level, source and quotes.
    "a_deals_for_org": """
SELECT ?deal ?label ?other ?level ?confidence ?source ?title ?quote WHERE {
  ?deal a ck:Deal ;
        ck:party kg:org-000001 , ?other ;
        rdfs:label ?label ;
        ck:evidenceLevel ?level ;
        ck:confidence ?confidence ;
        prov:wasDerivedFrom ?source .
  FILTER (?other != kg:org-000001)
  ?source dcterms:title ?title .
  OPTIONAL { ?claim schema:about ?deal ; ck:hasQuote/oa:hasSelector/oa:exact ?quote }
}
ORDER BY DESC(?confidence) ?deal ?other""",

    # How many deals each foundry has at each evidence level.
    "b_foundry_by_level": """
SELECT ?foundry ?name ?level (COUNT(DISTINCT ?deal) AS ?deals) WHERE {
  ?foundry org:classification ck:Foundry ;
           rdfs:label ?name .
  ?deal a ck:Deal ;
        ck:party ?foundry ;
        ck:evidenceLevel ?level .
}
GROUP BY ?foundry ?name ?level
ORDER BY ?name ?level""",

    # Chips that no officially confirmed deal is about, as researchers write it ...
    "c_chips_unconfirmed": """
SELECT ?chip ?name WHERE {
  ?chip a ck:Chip ;
        rdfs:label ?name .
  FILTER NOT EXISTS {
    ?deal ck:concernsProduct ?chip ;
          ck:evidenceLevel ev:OfficiallyConfirmed .
  }
}
ORDER BY ?chip""",

    # ... and the same question with MINUS (equivalent here: the inner pattern shares ?chip).
    "c2_chips_unconfirmed_minus": """
SELECT ?chip ?name WHERE {
  ?chip a ck:Chip ;
        rdfs:label ?name .
  MINUS {
    ?deal ck:concernsProduct ?chip ;
          ck:evidenceLevel ev:OfficiallyConfirmed .
  }
}
ORDER BY ?chip""",

    # Organizations two deal-hops away from a model lab.
    "d_two_hops_from_lab": """
SELECT DISTINCT ?org ?name WHERE {
  kg:org-000007 org:classification ck:ModelLab .
  ?first ck:party kg:org-000007 , ?middle .
  ?second ck:party ?middle , ?org .
  FILTER (?middle != kg:org-000007 && ?org != kg:org-000007 && ?org != ?middle)
  ?org rdfs:label ?name .
}
ORDER BY ?org""",

    # Quotes containing a word, with CONTAINS ...
    "e_quote_contains": """
SELECT ?claim ?exact WHERE {
  ?claim ck:hasQuote/oa:hasSelector/oa:exact ?exact .
  FILTER (CONTAINS(?exact, "HBM"))
}
ORDER BY ?claim""",

    # ... and with REGEX (same rows).
    "e2_quote_regex": """
SELECT ?claim ?exact WHERE {
  ?claim ck:hasQuote/oa:hasSelector/oa:exact ?exact .
  FILTER (REGEX(?exact, "HBM"))
}
ORDER BY ?claim""",

    # One deal with what the claims about it say.
    "f_construct_deal": """
CONSTRUCT {
  kg:deal-000001 ?p ?o .
  ?claim schema:about kg:deal-000001 ; schema:text ?text ; ck:evidenceLevel ?level .
} WHERE {
  { kg:deal-000001 ?p ?o }
  UNION
  { ?claim schema:about kg:deal-000001 ; schema:text ?text ; ck:evidenceLevel ?level }
}""",

    "f2_describe_deal": """
DESCRIBE kg:deal-000001""",
}

TRIVIAL = "ASK {}"


def text(name: str) -> str:
    """The full query text (prologue included); the trivial query has no prologue."""
    return TRIVIAL if name == "ask" else PROLOGUE + QUERIES[name].lstrip("\n")


def is_graph_query(name: str) -> bool:
    return name.startswith("f")
