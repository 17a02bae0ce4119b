"""The namespaces chipkg mints and the ones it reuses, with their prefixes."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

CK = Namespace("https://w3id.org/chipkg/ontology#")
EV = Namespace("https://w3id.org/chipkg/evidence#")
KG = Namespace("https://w3id.org/chipkg/id/")
CKSH = Namespace("https://w3id.org/chipkg/shapes#")
GRAPH = Namespace("https://w3id.org/chipkg/graph/")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")

PREFIXES = {
    "ck": CK, "ev": EV, "kg": KG, "cksh": CKSH, "oa": OA, "org": ORG, "schema": SCHEMA,
    "prov": PROV, "skos": SKOS, "dcterms": DCTERMS, "rdf": RDF, "rdfs": RDFS,
    "owl": OWL, "xsd": XSD, "sh": SH,
}

# The same prefixes as plain strings, as pyoxigraph's serialisers take them.
PREFIX_IRIS = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def shorten(iri: str) -> str:
    """An IRI as a reader writes it: kg:micron for a known namespace, else <iri>."""
    for prefix, namespace in PREFIX_IRIS.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


def sparql_prologue() -> str:
    """PREFIX lines for every namespace above, for queries written in code."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
