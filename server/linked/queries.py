"""Every SPARQL query the linked-data pages run, and the one function that runs them.

The pages never touch the store: each query goes through the engine
(`Served.engine.run`), so timeouts, row limits, metrics and whatever backend
sits behind the engine apply to them as to /sparql. `run` is the single place
where the dataset options are set, so a view of the data (an evidence floor,
an as-of date) is hooked in exactly here.

The entity (and any other IRI a page binds) is bound by a VALUES block at the
start of the WHERE clause, written from pyoxigraph NamedNodes: their N-Triples
form cannot hold `>`, a space, a quote or a brace (pyoxigraph refuses such
IRIs), so nothing from a request can change the query. VALUES, not
`substitutions=`: pyoxigraph 0.5 joins substitutions after evaluating the
pattern (measured at 1M triples: 650 ms against 0.7 ms for one claim's core
query), while a leading VALUES drives the plan. The text shown on a page is the
text that ran.
"""

from dataclasses import dataclass

import pyoxigraph as ox
from flask import current_app, g, request

from chipkg.namespaces import sparql_prologue

from ..protocol.engine import Answer, Plan
from ..views import view_for

PROLOGUE = sparql_prologue()


@dataclass(frozen=True)
class Ran:
    """One query a page ran: its name, text as run (bindings included), bindings, and rows."""
    name: str
    text: str
    bindings: dict
    rows: list[dict]
    truncated: bool


def current_view():
    """The evidence view the request asks for (as-of=, min-evidence=), once per request, or None.

    It is kept on `g` so the response can name it (`chipkg.server` adds the view headers)."""
    if "chipkg_view" not in g:
        g.chipkg_view = view_for(request)
    return g.chipkg_view


def options() -> dict:
    """Store.query arguments of every page query: the view's graph selection, else the union."""
    view = current_view()
    return dict(view.options) if view is not None else {"use_default_graph_as_union": True}


def bind(text: str, bindings: dict | None) -> str:
    """`text` with each binding (a NamedNode, or a list of them) as a VALUES block opening
    its first WHERE group."""
    if not bindings:
        return text
    blocks = []
    for name, value in bindings.items():
        nodes = value if isinstance(value, (list, tuple)) else [value]
        if not all(isinstance(n, ox.NamedNode) for n in nodes) or not name.replace("_", "").isalnum():
            raise TypeError("page queries bind variables to IRIs only")
        blocks.append(f"VALUES ?{name} {{ {' '.join(str(n) for n in nodes)} }}")
    at = text.index("WHERE {") + len("WHERE {")
    return text[:at] + "\n  " + "\n  ".join(blocks) + text[at:]


def run(text: str, output=None, bindings: dict | None = None) -> Answer:
    engine = current_app.extensions["chipkg"].ready().engine
    view = current_view()
    return engine.run(Plan(PROLOGUE + bind(text, bindings), output, options(),
                           view.store if view is not None else None, killable=False))


def select(name: str, bindings: dict | None = None, text: str | None = None) -> Ran:
    """Run the page query `name` (from QUERIES, or `text`) and return its rows as dicts."""
    text = QUERIES[name] if text is None else text
    table = run(text, None, bindings).table
    rows = [dict(zip(table.variables, row)) for row in table.rows]
    return Ran(name, bind(text, bindings), bindings or {}, rows, table.truncated)


def dataset_cache() -> dict:
    """A dict that lives as long as the dataset served, one per evidence view: for what depends
    only on the data (and the view)."""
    served = current_app.extensions["chipkg"].ready()
    caches = current_app.extensions.setdefault("chipkg.linked", {})
    if caches.get("dataset") is not served:
        caches.clear()
        caches["dataset"] = served
    view = current_view()
    return caches.setdefault(view.name if view is not None else "", {})


def describe(iri: str, output) -> Answer:
    """The RDF of one entity, serialised in `output` (a Format of the table)."""
    return run(QUERIES["description"], output, {"e": ox.NamedNode(iri)})


def whole_graph(iri: str, output) -> Answer:
    return run(QUERIES["graph-content"], output, {"g": ox.NamedNode(iri)})


# The claims concerning an entity ?e: about it, taken from it (a source) or quoting it (a
# quote). "claim-list" ranks them; the details are then asked for the claims shown only
# (?claim bound to a list), so a page about an organization with thousands of claims stays
# small. Each detail query keeps its OPTIONALs flat: Oxigraph evaluates a nested OPTIONAL
# group on its own, over the whole store.
CONCERNING = "?claim (schema:about|prov:wasDerivedFrom|ck:hasQuote) ?e ."
CLAIM_LIST = """SELECT DISTINCT ?claim ?notation ?rank ?conf WHERE {
  %ABOUT%
  ?claim a ck:Claim ; ck:evidenceLevel ?level .
  ?level skos:notation ?notation ; ck:rank ?rank .
  OPTIONAL { ?claim ck:confidence ?conf }
}"""
CLAIM_DETAILS = {
    "claim-core": """SELECT ?claim ?label ?text ?levelLabel ?note ?conflict WHERE {
  ?claim ck:evidenceLevel ?level . ?level rdfs:label ?levelLabel .
  OPTIONAL { ?claim rdfs:label ?label }
  OPTIONAL { ?claim ck:inConflict ?conflict }
  OPTIONAL { ?claim schema:text ?text }
  OPTIONAL { ?claim ck:assessmentNote ?note }
}""",
    "claim-sources": """SELECT ?claim ?source ?sourceLabel ?reliability WHERE {
  ?claim prov:wasDerivedFrom ?source .
  OPTIONAL { ?source rdfs:label ?sourceLabel }
  OPTIONAL { ?source ck:sourceReliability ?grade . ?grade rdfs:label ?reliability }
}""",
    "claim-quotes": """SELECT ?claim ?quote ?exact ?prefix ?suffix WHERE {
  ?claim ck:hasQuote ?quote . ?quote oa:hasSelector ?sel .
  ?sel a oa:TextQuoteSelector ; oa:exact ?exact .
  OPTIONAL { ?sel oa:prefix ?prefix }
  OPTIONAL { ?sel oa:suffix ?suffix }
}""",
    "claim-positions": """SELECT ?claim ?quote ?start ?end WHERE {
  ?claim ck:hasQuote ?quote . ?quote oa:hasSelector ?pos .
  ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
}""",
    "claim-hedges": """SELECT ?claim ?hedge WHERE { ?claim ck:hedgeCue ?hedge . }""",
}
# The deals an organization is party to (or one deal, ?deal bound): ranked first, then the
# details of the deals shown.
DEAL_LIST = """SELECT DISTINCT ?deal ?rank ?conf WHERE {
  %ABOUT%
  ?deal a ck:Deal .
  OPTIONAL { ?deal ck:evidenceLevel ?level . ?level ck:rank ?rank }
  OPTIONAL { ?deal ck:confidence ?conf }
}"""
DEAL_DETAILS = {
    "deal-core": """SELECT ?deal ?label ?notation ?levelLabel ?announced ?termv WHERE {
  ?deal a ck:Deal .
  OPTIONAL { ?deal rdfs:label ?label }
  OPTIONAL { ?deal ck:evidenceLevel ?level . ?level skos:notation ?notation ; rdfs:label ?levelLabel }
  OPTIONAL { ?deal ck:announcedOn ?announced }
  OPTIONAL { ?deal ck:term ?termv }
}""",
    # (FILTER, not a second VALUES for ?p: beside the VALUES of ?deal it makes Oxigraph scan
    # the store; measured at 1M triples, 245 ms against 0.5 ms for 11 deals)
    "deal-links": """SELECT ?deal ?p ?o ?olabel WHERE {
  ?deal ?p ?o . FILTER(?p IN (ck:party, ck:dealType, ck:announcedBy))
  OPTIONAL { ?o rdfs:label ?olabel }
}""",
    # amounts are blank nodes: asked apart, with required patterns only (an OPTIONAL over
    # ?o ?bp ?bo would be evaluated against every triple of the store)
    "deal-amounts": """SELECT ?deal ?p ?o ?bp ?bo WHERE {
  ?deal ?p ?o . FILTER(?p IN (ck:dealValue, ck:capacity) && isBlank(?o))
  ?o ?bp ?bo .
}""",
}


def _with(text: str, about: str) -> str:
    return text.replace("%ABOUT%", about)


QUERIES = {
    # The RDF an IRI dereferences to: its own triples (blank nodes closed two levels
    # deep: amounts, quote selectors), the triples of its quotes, and every triple
    # pointing at it, with the label, text, level and confidence of each claim about it.
    "description": """CONSTRUCT {
  ?e ?p ?o . ?o ?p2 ?o2 . ?o2 ?p3 ?o3 . ?in ?ip ?e . ?claim ?cp ?co .
} WHERE {
  { ?e ?p ?o .
    OPTIONAL { FILTER(isBlank(?o)) ?o ?p2 ?o2 .
               OPTIONAL { FILTER(isBlank(?o2)) ?o2 ?p3 ?o3 } } }
  UNION
  { ?e ck:hasQuote ?o . ?o ?p2 ?o2 . OPTIONAL { FILTER(isBlank(?o2)) ?o2 ?p3 ?o3 } }
  UNION
  { ?in ?ip ?e }
  UNION
  { ?claim schema:about ?e ; ?cp ?co .
    FILTER(?cp IN (rdf:type, rdfs:label, schema:text, ck:evidenceLevel, ck:confidence)) }
}""",
    "graph-content": """CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }""",
    # Whether the data holds an IRI at all: as a subject, an object, or a graph name (asked
    # one after the other, cheapest first, until one answers).
    "exists-subject": """SELECT ?p WHERE { ?e ?p ?o } LIMIT 1""",
    "exists-object": """SELECT ?p WHERE { ?s ?p ?e } LIMIT 1""",
    "exists-graph": """SELECT ?p WHERE { GRAPH ?e { ?s ?p ?o } } LIMIT 1""",
    # Facts: every outgoing triple with the label of its property and object; blank
    # node objects (amounts, quantities) with their own properties.
    "facts": """SELECT ?p ?plabel ?o ?olabel WHERE {
  ?e ?p ?o .
  OPTIONAL { ?p rdfs:label ?plabel }
  OPTIONAL { ?o rdfs:label ?olabel }
}""",
    "fact-amounts": """SELECT ?p ?o ?bp ?bo WHERE {
  ?e ?p ?o . ?o ?bp ?bo .
  FILTER(isBlank(?o))
}""",
    "claim-list": _with(CLAIM_LIST, CONCERNING),
    "one-claim": _with(CLAIM_LIST, ""),
    **CLAIM_DETAILS,
    # What points at the entity, except the claims and quotes listed with their evidence
    # (no ORDER BY, so the LIMIT stops the scan; the page sorts).
    "incoming": """SELECT DISTINCT ?s ?p ?plabel ?slabel WHERE {
  ?s ?p ?e .
  FILTER(?p NOT IN (schema:about, prov:wasDerivedFrom, oa:hasSource, ck:hasQuote, prov:used))
  OPTIONAL { ?p rdfs:label ?plabel }
  OPTIONAL { ?s rdfs:label ?slabel }
}
LIMIT 200""",
    "deal-list": _with(DEAL_LIST, "?deal ck:party ?e ."),
    "one-deal": _with(DEAL_LIST, ""),
    **DEAL_DETAILS,
    "graph-levels": """SELECT ?g ?notation ?levelLabel ?rank (COUNT(DISTINCT ?claim) AS ?claims) WHERE {
  GRAPH ?g { ?claim a ck:Claim ; ck:evidenceLevel ?level }
  ?level skos:notation ?notation ; rdfs:label ?levelLabel ; ck:rank ?rank .
} GROUP BY ?g ?notation ?levelLabel ?rank ORDER BY DESC(?rank)""",
    "level-info": """SELECT ?level ?label ?definition ?min ?max ?notation WHERE {
  ?level rdfs:label ?label ; skos:notation ?notation .
  OPTIONAL { ?level skos:definition ?definition }
  OPTIONAL { ?level ck:minConfidence ?min } OPTIONAL { ?level ck:maxConfidence ?max }
}""",
    # Choices of the claims browser's filters.
    "choices-org": """SELECT ?o (SAMPLE(?l) AS ?label) WHERE { ?o a ck:Company . OPTIONAL { ?o rdfs:label ?l } }
GROUP BY ?o ORDER BY ?label LIMIT 1000""",
    "choices-deal": """SELECT ?o (SAMPLE(?l) AS ?label) WHERE { ?o a ck:Deal . OPTIONAL { ?o rdfs:label ?l } }
GROUP BY ?o ORDER BY ?label LIMIT 1000""",
    "choices-type": """SELECT ?o (SAMPLE(?l) AS ?label) WHERE { ?o a ck:DealType . OPTIONAL { ?o rdfs:label ?l } }
GROUP BY ?o ORDER BY ?label LIMIT 1000""",
    "choices-source": """SELECT ?o (SAMPLE(?l) AS ?label) WHERE { ?o a ck:SourceDocument . OPTIONAL { ?o rdfs:label ?l } }
GROUP BY ?o ORDER BY ?label LIMIT 1000""",
    "graph-about": """SELECT ?g ?label ?source ?sourceLabel WHERE {
  OPTIONAL { ?g rdfs:label ?label }
  OPTIONAL { ?g dcterms:source ?source . OPTIONAL { ?source rdfs:label ?sourceLabel } }
}""",
    "graph-entities": """SELECT DISTINCT ?g ?s ?type ?label WHERE {
  GRAPH ?g { ?s a ?type . FILTER(?type IN (ck:Company, schema:Person, ck:Chip, ck:Deal,
                                            ck:SourceDocument, ck:ChipFamily)) }
  OPTIONAL { ?s rdfs:label ?label }
} ORDER BY ?type ?label LIMIT 500""",
    # Everything drawn: deals with their parties and types, and the dated events.
    "network": """SELECT ?deal ?label ?notation ?rank ?conf ?announced ?announcer ?party ?partyLabel
       ?typeLabel WHERE {
  ?deal a ck:Deal ; ck:party ?party .
  OPTIONAL { ?deal rdfs:label ?label }
  OPTIONAL { ?deal ck:evidenceLevel ?level . ?level skos:notation ?notation ; ck:rank ?rank }
  OPTIONAL { ?deal ck:confidence ?conf }
  OPTIONAL { ?deal ck:announcedOn ?announced }
  OPTIONAL { ?deal ck:announcedBy ?announcer }
  OPTIONAL { ?party rdfs:label ?partyLabel }
  OPTIONAL { ?deal ck:dealType/rdfs:label ?typeLabel }
}""",
    "events": """SELECT ?what ?label ?kind ?date ?notation WHERE {
  { ?what a ck:Deal ; ck:announcedOn ?date . BIND("deal announced" AS ?kind)
    OPTIONAL { ?what ck:evidenceLevel/skos:notation ?notation } }
  UNION { ?what a ck:Chip ; ck:announcedOn ?date . BIND("chip announced" AS ?kind) }
  UNION { ?what a ck:Milestone ; ck:targetDate ?date .
          OPTIONAL { ?what ck:planned ?planned }
          BIND(IF(COALESCE(?planned, false), "planned", "milestone") AS ?kind) }
  OPTIONAL { ?what rdfs:label ?label }
}
ORDER BY ?date ?what""",
}


def labels(terms) -> dict[str, str]:
    """rdfs:label of each IRI among `terms` (result-table cells), in one query.

    The IRIs are written into a VALUES block in their N-Triples form, which
    pyoxigraph has already validated (no `>`, space or quote can occur in it),
    so nothing from a request reaches the query text.
    """
    iris = sorted({t.value for t in terms if isinstance(t, ox.NamedNode)})[:LABEL_LOOKUP_MAX]
    if not iris:
        return {}
    values = " ".join(str(ox.NamedNode(iri)) for iri in iris)
    table = run(f"SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?s {{ {values} }} "
                f"?s rdfs:label ?l }} GROUP BY ?s").table
    return {row[0].value: row[1].value for row in table.rows if row[1] is not None}


LABEL_LOOKUP_MAX = 5000     # distinct IRIs labelled per result table; the rest show prefixed names
