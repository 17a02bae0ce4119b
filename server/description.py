"""The SPARQL 1.1 Service Description and the VoID description of the dataset.

Both are generated: the result formats from the one format table
(`chipkg.formats`), the counts from the loaded store (`Dataset`). The service
description is served by GET /sparql without a query; VoID at /.well-known/void
(and /void). Both negotiate among the RDF formats of the table, Turtle first.
"""

import threading
from collections import OrderedDict

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from chipkg import __version__
from chipkg.formats import FORMATS, W3C_FORMATS, Format
from chipkg.namespaces import EV, KG, PREFIX_IRIS

from .dataset import Dataset
from .protocol.outputs import choose_rdf_format

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SEE_ALSO = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
FOAF_TOPIC = ox.NamedNode("http://xmlns.com/foaf/0.1/primaryTopic")
PREFIXES = {**PREFIX_IRIS, "sd": SD, "void": VOID, "formats": W3C_FORMATS,
            "foaf": "http://xmlns.com/foaf/0.1/", "dcterms": DCT}
TITLE = "chipkg: an evidence-graded knowledge graph of the AI-chip supply chain"

blueprint = Blueprint("description", __name__)


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n("http://www.w3.org/2001/XMLSchema#integer"))


def urls(base: str) -> dict[str, str]:
    return {"endpoint": base + "sparql", "void": base + ".well-known/void",
            "dataset": base + ".well-known/void#dataset"}


def service_description(dataset: Dataset, config: dict, base: str) -> list[ox.Triple]:
    where = urls(base)
    service, data = _n(where["endpoint"]), _n(where["dataset"])
    triples = [
        (service, RDF_TYPE, _n(SD + "Service")),
        (service, _n(SD + "endpoint"), service),
        (service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        (service, _n(SD + "defaultEntailmentRegime"), _n("http://www.w3.org/ns/entailment/Simple")),
        (service, _n(DCT + "title"), ox.Literal(f"chipkg SPARQL endpoint (chipkg {__version__})")),
        (service, SEE_ALSO, _n(where["void"])),
        (service, _n(SD + "defaultDataset"), data),
        (data, RDF_TYPE, _n(SD + "Dataset")),
        (data, RDF_TYPE, _n(VOID + "Dataset")),
        (data, SEE_ALSO, _n(where["void"])),
    ]
    triples += [(service, _n(SD + "resultFormat"), _n(f.service_description_iri)) for f in FORMATS]
    if config["UNION_DEFAULT_GRAPH"]:
        triples.append((service, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")))
    if config["SERVICE_ALLOW_LIST"]:
        triples.append((service, _n(SD + "feature"), _n(SD + "BasicFederatedQuery")))
    default = ox.BlankNode()
    default_triples = dataset.triples if config["UNION_DEFAULT_GRAPH"] else dataset.default_graph_triples
    triples += [(data, _n(SD + "defaultGraph"), default), (default, RDF_TYPE, _n(SD + "Graph")),
                (default, _n(VOID + "triples"), _int(default_triples))]
    for name, count in dataset.graphs:
        named, graph = ox.BlankNode(), ox.BlankNode()
        triples += [(data, _n(SD + "namedGraph"), named), (named, RDF_TYPE, _n(SD + "NamedGraph")),
                    (named, _n(SD + "name"), _n(name)), (named, _n(SD + "graph"), graph),
                    (graph, RDF_TYPE, _n(SD + "Graph")), (graph, _n(VOID + "triples"), _int(count))]
    return _grouped(triples)


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[:cut + 1]


def void_description(dataset: Dataset, config: dict, base: str) -> list[ox.Triple]:
    where = urls(base)
    document, data = _n(where["void"]), _n(where["dataset"])
    void = lambda name: _n(VOID + name)  # noqa: E731
    triples = [
        (document, RDF_TYPE, void("DatasetDescription")),
        (document, _n(DCT + "title"), ox.Literal("VoID description of the chipkg dataset", language="en")),
        (document, FOAF_TOPIC, data),
        (data, RDF_TYPE, void("Dataset")),
        (data, _n(DCT + "title"), ox.Literal(TITLE, language="en")),
        (data, _n(DCT + "modified"), ox.Literal(dataset.loaded_at, datatype=_n(
            "http://www.w3.org/2001/XMLSchema#dateTime"))),
        (data, void("sparqlEndpoint"), _n(where["endpoint"])),
        (data, void("uriSpace"), ox.Literal(str(KG))),
        (data, void("triples"), _int(dataset.triples)),
        (data, void("entities"), _int(dataset.entities)),
        (data, void("distinctSubjects"), _int(dataset.distinct_subjects)),
        (data, void("distinctObjects"), _int(dataset.distinct_objects)),
        (data, void("classes"), _int(len(dataset.classes))),
        (data, void("properties"), _int(len(dataset.properties))),
        # claims and deals carry an evidence level from this SKOS scheme (ontology/evidence.ttl)
        (data, SEE_ALSO, _n(str(EV) + "scheme")),
    ]
    if config["DATASET_LICENSE"]:
        triples.append((data, _n(DCT + "license"), _n(config["DATASET_LICENSE"])))
    vocabularies = {str(EV)} | {_namespace(iri) for iri, _ in dataset.classes + dataset.properties}
    triples += [(data, void("vocabulary"), _n(v)) for v in sorted(vocabularies) if v]
    for iri, count in dataset.classes:
        part = ox.BlankNode()
        triples += [(data, void("classPartition"), part), (part, void("class"), _n(iri)),
                    (part, void("entities"), _int(count))]
    for iri, count in dataset.properties:
        part = ox.BlankNode()
        triples += [(data, void("propertyPartition"), part), (part, void("property"), _n(iri)),
                    (part, void("triples"), _int(count))]
    for name, count in dataset.graphs:
        graph = _n(name)
        triples += [(data, void("subset"), graph), (graph, RDF_TYPE, void("Dataset")),
                    (graph, _n(SD + "name"), graph), (graph, void("triples"), _int(count))]
    return _grouped(triples)


def _used(triples: list[ox.Triple]) -> dict[str, str]:
    """The prefixes of PREFIXES that some IRI of the triples starts with."""
    terms = [t for triple in triples for t in (triple.subject, triple.predicate, triple.object)]
    iris = {t.value for t in terms if isinstance(t, ox.NamedNode)}
    iris |= {t.datatype.value for t in terms if isinstance(t, ox.Literal)}
    return {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}


def _grouped(triples: list[tuple]) -> list[ox.Triple]:
    """Triples with each subject's together (in first-seen order), so Turtle groups them."""
    order: dict = {}
    for triple in triples:
        order.setdefault(triple[0], []).append(triple)
    return [ox.Triple(*t) for group in order.values() for t in group]


class Descriptions:
    """Serialised descriptions, cached per base URL and format (a few entries at most)."""

    def __init__(self, dataset: Dataset, config: dict, size: int = 32):
        self.dataset, self.config = dataset, config
        self._cache: OrderedDict = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def body(self, which: str, base: str, fmt: Format) -> bytes:
        key = (which, base, fmt.name)
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        build = service_description if which == "sd" else void_description
        triples = build(self.dataset, self.config, base)
        body = ox.serialize(triples, format=fmt.rdf, prefixes=_used(triples)) or b""
        with self._lock:
            self._cache[key] = body
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return body


def description_response(which: str, formats: tuple[str, ...] = ()) -> Response:
    state = current_app.extensions["chipkg"]
    fmt = choose_rdf_format(formats, request.headers.get("Accept"))
    body = state.ready().descriptions.body(which, request.url_root, fmt)
    response = Response(body, content_type=fmt.content_type)
    response.vary.add("Accept")
    return response


@blueprint.get("/.well-known/void")
@blueprint.get("/void")
def void():
    return description_response("void", tuple(request.args.getlist("format")))
