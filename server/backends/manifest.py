"""The push record: one small named graph in the store saying what `chipkg push` put there.

`chipkg push` deletes it first and writes it last, after every graph was replaced
and its triple count checked, so its presence means "a complete push". `serve
--backend` reads it to know the dataset it serves: which named graph holds the
served default graph and which graphs are the sources; a store without it is
refused (nothing complete was pushed there). Plain VoID, SD and DCTERMS terms:

    <.../store/push> a void:Dataset ; dcterms:modified "..."^^xsd:dateTime ;
        sd:defaultGraph <.../store/default> ; sd:namedGraph <graph-1>, ... ;
        dcterms:hasPart <.../store/union> .
    <graph-1> void:triples 123 .

`<.../store/union>` holds the union default graph materialised: every distinct triple
of the default graph and the sources. A union query then names one default graph
instead of thousands (at 100k triples, 292 graphs, `oxigraph serve` took over 30 s
for a query it answers in 0.35 s from one graph); a push record without it (an older
push) still serves, by listing every graph.
"""

from dataclasses import dataclass
from datetime import datetime, timezone

import pyoxigraph as ox

from chipkg.errors import UnusableInput

MANIFEST_GRAPH = "https://w3id.org/chipkg/store/push"
DEFAULT_GRAPH = "https://w3id.org/chipkg/store/default"    # the served default graph's triples
UNION_GRAPH = "https://w3id.org/chipkg/store/union"        # the union default graph, materialised
_PART = "http://purl.org/dc/terms/hasPart"
_SD = "http://www.w3.org/ns/sparql-service-description#"
_VOID = "http://rdfs.org/ns/void#"
_XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class Manifest:
    default_graph: str
    graphs: tuple[tuple[str, int], ...]     # source graph IRI, triples
    default_triples: int
    pushed_at: str
    union_graph: str | None = None

    @property
    def graph_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.graphs)


def manifest_triples(default_triples: int, graphs: list[tuple[str, int]],
                     union_triples: int | None = None) -> list[ox.Triple]:
    n = ox.NamedNode
    record = n(MANIFEST_GRAPH)
    count = lambda k: ox.Literal(str(k), datatype=n(_XSD + "integer"))  # noqa: E731
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    triples = [
        ox.Triple(record, n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), n(_VOID + "Dataset")),
        ox.Triple(record, n("http://purl.org/dc/terms/modified"), ox.Literal(now, datatype=n(_XSD + "dateTime"))),
        ox.Triple(record, n(_SD + "defaultGraph"), n(DEFAULT_GRAPH)),
        ox.Triple(n(DEFAULT_GRAPH), n(_VOID + "triples"), count(default_triples)),
    ]
    for name, triples_in in graphs:
        triples += [ox.Triple(record, n(_SD + "namedGraph"), n(name)),
                    ox.Triple(n(name), n(_VOID + "triples"), count(triples_in))]
    if union_triples is not None:
        triples += [ox.Triple(record, n(_PART), n(UNION_GRAPH)),
                    ox.Triple(n(UNION_GRAPH), n(_VOID + "triples"), count(union_triples))]
    return triples


READ = f"""SELECT ?role ?g ?n ?at FROM <{MANIFEST_GRAPH}> WHERE {{
  <{MANIFEST_GRAPH}> <http://purl.org/dc/terms/modified> ?at ; ?role ?g .
  ?g <{_VOID}triples> ?n
  FILTER(?role IN (<{_SD}defaultGraph>, <{_SD}namedGraph>, <{_PART}>))
}} ORDER BY ?g"""


def read_manifest(store) -> Manifest:
    """The push record of `store`; UnusableInput if there is none (no complete push)."""
    rows = list(store.query(READ))
    default = [(r["g"].value, int(r["n"].value)) for r in rows if r["role"].value == _SD + "defaultGraph"]
    if not default:
        raise UnusableInput(f"no complete `chipkg push` found in the store at {store.endpoint} "
                            f"(no push record in <{MANIFEST_GRAPH}>): push the dataset first")
    graphs = tuple((r["g"].value, int(r["n"].value)) for r in rows if r["role"].value == _SD + "namedGraph")
    union = next((r["g"].value for r in rows if r["role"].value == _PART), None)
    return Manifest(default[0][0], graphs, default[0][1], rows[0]["at"].value, union)
