"""The one table of result formats.

Content negotiation, the `format=` parameter, the CLI and the service
description all read this table, so a format is offered exactly where it is
advertised. Results of SELECT and ASK are "results" formats; results of
CONSTRUCT and DESCRIBE, and dataset exports, are "graph" formats.
"""

from dataclasses import dataclass

import pyoxigraph as ox

W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    name: str                       # short name for format= and --format
    media_type: str
    kind: str                       # "results" or "graph"
    results: ox.QueryResultsFormat | None = None
    rdf: ox.RdfFormat | None = None
    aliases: tuple[str, ...] = ()   # other media types clients send for it

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if _is_text(self.media_type) else self.media_type

    @property
    def service_description_iri(self) -> str:
        """The W3C format IRI (http://www.w3.org/ns/formats/...) of the format."""
        iri = (self.results or self.rdf).iri
        # pyoxigraph 0.5 names JSON-LD by its draft IRI; the registered one is W3C_FORMATS.
        return W3C_FORMATS + "JSON-LD" if self.rdf == ox.RdfFormat.JSON_LD else iri

    def __reduce__(self):
        # pyoxigraph's format enums do not pickle, and every Format is one of FORMATS: pickled
        # by name (answers from the endpoint's query processes, server/protocol/isolation.py)
        return (named, (self.name,))


def _is_text(media_type: str) -> bool:
    return media_type.startswith("text/") or media_type.endswith(("json", "xml"))


FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", "results", results=ox.QueryResultsFormat.JSON,
           aliases=("application/json",)),
    Format("xml", "application/sparql-results+xml", "results", results=ox.QueryResultsFormat.XML,
           aliases=("application/xml", "text/xml")),
    Format("csv", "text/csv", "results", results=ox.QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", "results", results=ox.QueryResultsFormat.TSV),
    Format("turtle", "text/turtle", "graph", rdf=ox.RdfFormat.TURTLE, aliases=("application/x-turtle",)),
    Format("ntriples", "application/n-triples", "graph", rdf=ox.RdfFormat.N_TRIPLES,
           aliases=("text/plain",)),
    Format("jsonld", "application/ld+json", "graph", rdf=ox.RdfFormat.JSON_LD),
    Format("rdfxml", "application/rdf+xml", "graph", rdf=ox.RdfFormat.RDF_XML),
    Format("trig", "application/trig", "graph", rdf=ox.RdfFormat.TRIG),
    Format("nquads", "application/n-quads", "graph", rdf=ox.RdfFormat.N_QUADS),
)

BY_NAME = {f.name: f for f in FORMATS}


def named(name: str) -> Format:
    return BY_NAME[name]


def formats_of(kind: str) -> tuple[Format, ...]:
    return tuple(f for f in FORMATS if f.kind == kind)
