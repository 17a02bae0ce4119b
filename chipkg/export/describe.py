"""The DCAT + VoID description of an export (description.ttl).

One `dcat:Dataset` (also a `void:Dataset`) with a version, licence, publisher
and modification date, one `dcat:Distribution` per file with the size and
sha256 of the bytes actually written, and VoID statistics for the whole union
and for every named graph. Nothing is invented: the publisher is the chipkg
project as pyproject.toml names it ("chipkg developers"), download URLs are
under the base given to the export (by default the project's w3id.org
namespace, which the data's IRIs use too), and the modification date is the
latest `dcterms:date` of an extraction activity in the data (omitted if none),
never the clock, so two exports of the same data are identical.
"""

from itertools import groupby

import pyoxigraph as ox

from .canonical import Canonical

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
SPDX = "http://spdx.org/rdf/terms#"
FOAF = "http://xmlns.com/foaf/0.1/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
OWL = "http://www.w3.org/2002/07/owl#"
PROV = "http://www.w3.org/ns/prov#"
IANA = "https://www.iana.org/assignments/media-types/"
DATASET = "https://w3id.org/chipkg/dataset"
DEFAULT_BASE = "https://w3id.org/chipkg/downloads/"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
TITLE = "chipkg: an evidence-graded knowledge graph of the AI-chip supply chain"
DESCRIPTION = ("Claims about model labs, chip designers, foundries, memory makers and clouds, each "
               "with its source, exact quote, evidence level and confidence.")
PREFIXES = {"dcat": DCAT, "dcterms": DCT, "void": VOID, "spdx": SPDX, "foaf": FOAF, "xsd": XSD,
            "owl": OWL, "rdf": RDF}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _typed(value, datatype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + datatype))


def modified_date(canonical: Canonical) -> str | None:
    """The latest dcterms:date of a prov:Activity in the data, or None."""
    activities, dated = set(), []
    activity = _n(PROV + "Activity")
    for t in canonical.triples():
        if t.predicate.value == RDF + "type" and t.object == activity:
            activities.add(t.subject)
        elif t.predicate.value == DCT + "date" and isinstance(t.object, ox.Literal):
            dated.append((t.subject, t.object.value))
    dates = [date for subject, date in dated if subject in activities]
    return max(dates) if dates else None


def void_numbers(triples) -> dict[str, int]:
    subjects, classes, properties, count = set(), set(), set(), 0
    for t in triples:
        count += 1
        if isinstance(t.subject, ox.NamedNode):
            subjects.add(t.subject)
        properties.add(t.predicate)
        if t.predicate.value == RDF + "type":
            classes.add(t.object)
    return {"triples": count, "entities": len(subjects), "classes": len(classes),
            "properties": len(properties)}


def version_iri(version: str) -> str:
    return f"{DATASET}/version/{version}"


def description(canonical: Canonical, files: list[dict], version: str,
                base_url: str = DEFAULT_BASE) -> list[ox.Triple]:
    """The triples of description.ttl; `files` are manifest entries (name, media_type, bytes, sha256)."""
    data = _n(DATASET)
    modified = modified_date(canonical)
    publisher = ox.BlankNode("publisher")
    out = [
        (data, _n(RDF + "type"), _n(DCAT + "Dataset")),
        (data, _n(RDF + "type"), _n(VOID + "Dataset")),
        (data, _n(DCT + "title"), ox.Literal(TITLE, language="en")),
        (data, _n(DCT + "description"), ox.Literal(DESCRIPTION, language="en")),
        (data, _n(DCT + "license"), _n(LICENSE)),
        (data, _n(DCT + "publisher"), publisher),
        (data, _n(DCAT + "version"), ox.Literal(version)),
        (data, _n(OWL + "versionIRI"), _n(version_iri(version))),
        (data, _n(VOID + "uriSpace"), ox.Literal("https://w3id.org/chipkg/id/")),
        (publisher, _n(RDF + "type"), _n(FOAF + "Agent")),
        (publisher, _n(FOAF + "name"), ox.Literal("chipkg developers")),
    ]
    if modified:
        out.append((data, _n(DCT + "modified"), _typed(modified, "date")))
    out += [(data, _n(VOID + name), _typed(n, "integer"))
            for name, n in void_numbers(canonical.triples()).items()]
    named = (q for q in canonical.by_graph() if isinstance(q.graph_name, ox.NamedNode))
    for graph, quads in groupby(named, key=lambda q: q.graph_name):
        out += [(data, _n(VOID + "subset"), graph), (graph, _n(RDF + "type"), _n(VOID + "Dataset"))]
        out += [(graph, _n(VOID + key), _typed(n, "integer")) for key, n in void_numbers(quads).items()]
    for entry in files:
        dist, checksum = ox.BlankNode(f"d-{entry['name']}"), ox.BlankNode(f"c-{entry['name']}")
        out += [
            (data, _n(DCAT + "distribution"), dist),
            (dist, _n(RDF + "type"), _n(DCAT + "Distribution")),
            (dist, _n(DCT + "title"), ox.Literal(entry["title"], language="en")),
            (dist, _n(DCAT + "downloadURL"), _n(base_url + entry["name"])),
            (dist, _n(DCAT + "mediaType"), _n(IANA + entry["media_type"])),
            (dist, _n(DCAT + "byteSize"), _typed(entry["bytes"], "nonNegativeInteger")),
            (dist, _n(SPDX + "checksum"), checksum),
            (checksum, _n(RDF + "type"), _n(SPDX + "Checksum")),
            (checksum, _n(SPDX + "algorithm"), _n(SPDX + "checksumAlgorithm_sha256")),
            (checksum, _n(SPDX + "checksumValue"), _typed(entry["sha256"], "hexBinary")),
            (dist, _n(DCT + "license"), _n(LICENSE)),
            (dist, _n(DCAT + "version"), ox.Literal(version)),
            (dist, _n(DCT + "publisher"), publisher),
        ]
        if modified:
            out.append((dist, _n(DCT + "modified"), _typed(modified, "date")))
    return [ox.Triple(*t) for t in out]


def description_bytes(triples: list[ox.Triple]) -> bytes:
    canonical = Canonical.of(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return ox.serialize(canonical.triples(), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
