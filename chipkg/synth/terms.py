"""N-Quads terms and the small records of the synthetic graph generator (chipkg.synth).

Terms are written as N-Triples text directly (no rdflib objects): the generator makes
hundreds of thousands of them. The namespace IRIs come from chipkg.namespaces.
"""

from dataclasses import dataclass, field

from .. import namespaces as ns
from . import text as T

CK, EV, KG, GRAPH = str(ns.CK), str(ns.EV), str(ns.KG), str(ns.GRAPH)
OA, ORG, PROV, SCHEMA = str(ns.OA), str(ns.ORG), str(ns.PROV), str(ns.SCHEMA)
DCT, XSD = str(ns.DCTERMS), str(ns.XSD)


def iri_ref(value: str) -> str:
    return f"<{value}>"


def term(namespace: str, local: str) -> str:
    return f"<{namespace}{local}>"


RDF_TYPE = iri_ref(str(ns.RDF.type))
LABEL = iri_ref(str(ns.RDFS.label))
COMMENT = iri_ref(str(ns.RDFS.comment))
ALT_LABEL = iri_ref(str(ns.SKOS.altLabel))

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def literal(text: str) -> str:
    """A plain (xsd:string) literal in N-Triples syntax."""
    return '"' + text.translate(_ESCAPES) + '"'


def en(text: str) -> str:
    return literal(text) + "@en"


def typed(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^<{XSD}{datatype}>'


def integer(value: int) -> str:
    return typed(str(value), "integer")


def decimal(hundredths: int) -> str:
    return typed(f"{hundredths // 100}.{hundredths % 100:02d}", "decimal")


# ---------------------------------------------------------------- the model being generated

@dataclass
class Org:
    iri: str
    name: str
    roles: tuple[str, ...]


@dataclass
class Chip:
    iri: str
    name: str
    designer: Org
    stage: int                 # index into STAGES
    purposes: tuple[str, ...]
    foundry: Org | None


@dataclass
class Source:
    """One synthetic source document: its graph, its text and its triples."""

    number: int
    graph: str
    iri: str
    file_name: str
    title: str = ""
    text: str = ""
    sha256: str = ""
    triples: list[str] = field(default_factory=list)     # "<s> <p> <o>" in the source's graph
    default: list[str] = field(default_factory=list)     # default-graph triples


@dataclass
class Summary:
    triples: int = 0
    sources: int = 0
    organizations: int = 0
    chips: int = 0
    deals: int = 0
    claims: int = 0
    moves: int = 0
    levels: dict[str, int] = field(default_factory=lambda: {level: 0 for level in T.LEVELS})
    seconds: float = 0.0


@dataclass
class PlannedClaim:
    """A claim planned before its source's text exists; the quote is placed afterwards."""

    iri: str
    quote_iri: str
    sentence: str
    start: int = -1

