"""The files of an export: name, media type and what each holds.

RDF files take their media type from the one format table (`chipkg.formats`);
the server's /downloads route reads this table too, so a file is served with
the type it is described with in the DCAT description.
"""

from dataclasses import dataclass

from ..formats import BY_NAME


@dataclass(frozen=True)
class ExportFile:
    name: str
    media_type: str
    title: str
    format: str | None = None       # name in chipkg.formats, for RDF files

    @property
    def content_type(self) -> str:
        if self.format:
            return BY_NAME[self.format].content_type
        return f"{self.media_type}; charset=utf-8"


def _rdf(name: str, fmt: str, title: str) -> ExportFile:
    return ExportFile(name, BY_NAME[fmt].media_type, title, fmt)


DUMPS = (
    _rdf("chipkg.nq", "nquads", "The whole dataset as N-Quads: ontology, evidence scheme and one "
                                "named graph per source document"),
    _rdf("chipkg.trig", "trig", "The whole dataset as TriG: one named graph per source document"),
    _rdf("chipkg.ttl", "turtle", "The union of all graphs as Turtle"),
    _rdf("chipkg.nt", "ntriples", "The union of all graphs as N-Triples"),
    _rdf("chipkg.rdf", "rdfxml", "The union of all graphs as RDF/XML"),
    _rdf("chipkg.jsonld", "jsonld", "The union of all graphs as JSON-LD, compacted with the "
                                    "chipkg context"),
)
EXTRAS = (
    _rdf("context.jsonld", "jsonld", "The JSON-LD context of chipkg.jsonld (compact keys such as "
                                     "level, confidence, quote)"),
    _rdf("nanopubs.trig", "trig", "Every claim as a nanopublication (head, assertion, provenance "
                                  "and publication-info graphs)"),
    _rdf("claimreviews.jsonld", "jsonld", "Every claim as a schema.org ClaimReview"),
    _rdf("description.ttl", "turtle", "DCAT and VoID description of this export"),
)
META = (
    ExportFile("manifest.json", "application/json", "Names, sizes and sha256 of every file"),
    ExportFile("CHANGELOG.md", "text/markdown", "What changed since the previous build"),
)
FILES = DUMPS + EXTRAS + META
BY_FILE_NAME = {f.name: f for f in FILES}
