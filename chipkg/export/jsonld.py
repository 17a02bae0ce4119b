"""JSON-LD: the chipkg context and a streaming writer that compacts with it.

The context gives readable keys (`level`, `confidence`, `quote`, ...) for the
properties people read most, and the project's prefixes for the rest. The
writer does the compaction itself instead of running a JSON-LD processor over
the whole graph (which would hold the expanded graph in memory several times):
triples arrive sorted by subject, so each node object is written as soon as its
subject changes. Every literal keeps its exact lexical form (numbers are written
as typed strings, never as JSON numbers), so the file parses back to the same
triples.
"""

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import CK, EV, KG, OA, ORG, PREFIX_IRIS, SCHEMA
from ..rdfio import write_atomically
from rdflib.namespace import DCTERMS, OWL, PROV, RDFS, SKOS, XSD

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ID = "@id"

# key: (property IRI, coercion): "@id" for IRI values, a datatype IRI, or None.
TERMS: dict[str, tuple[str, str | None]] = {
    "label": (str(RDFS.label), None),
    "comment": (str(RDFS.comment), None),
    "prefLabel": (str(SKOS.prefLabel), None),
    "altLabel": (str(SKOS.altLabel), None),
    "definition": (str(SKOS.definition), None),
    "notation": (str(SKOS.notation), None),
    "title": (str(DCTERMS.title), None),
    "text": (str(SCHEMA.text), None),
    "about": (str(SCHEMA.about), ID),
    "level": (str(CK.evidenceLevel), ID),
    "confidence": (str(CK.confidence), str(XSD.decimal)),
    "rank": (str(CK.rank), str(XSD.integer)),
    "quote": (str(CK.hasQuote), ID),
    "hedge": (str(CK.hedgeCue), None),
    "assessment": (str(CK.assessmentNote), None),
    "source": (str(PROV.wasDerivedFrom), ID),
    "attributedTo": (str(PROV.wasAttributedTo), ID),
    "generatedBy": (str(PROV.wasGeneratedBy), ID),
    "party": (str(CK.party), ID),
    "dealType": (str(CK.dealType), ID),
    "announcedBy": (str(CK.announcedBy), ID),
    "designedBy": (str(CK.designedBy), ID),
    "role": (str(ORG.classification), ID),
    "document": (str(OA.hasSource), ID),
    "selector": (str(OA.hasSelector), ID),
    "exact": (str(OA.exact), None),
    "prefix": (str(OA.prefix), None),
    "suffix": (str(OA.suffix), None),
    "start": (str(OA.start), str(XSD.integer)),
    "end": (str(OA.end), str(XSD.integer)),
    "sameAs": (str(OWL.sameAs), ID),
}
BY_IRI = {iri: (key, coercion) for key, (iri, coercion) in TERMS.items()}
_ = (EV, KG)  # the kg:, ev: prefixes come in through PREFIX_IRIS


def context(prefixes: dict[str, str] | None = None) -> dict:
    """The @context object: the prefixes, then the readable keys."""
    body: dict = {"id": "@id", "type": "@type"}
    body.update(sorted((prefixes if prefixes is not None else PREFIX_IRIS).items()))
    for key, (iri, coercion) in TERMS.items():
        body[key] = {"@id": iri, "@type": coercion} if coercion else iri
    return body


def _coerced_ok(coercion: str | None, term) -> bool:
    """Whether `term` can be written as a bare string under the key's coercion."""
    if isinstance(term, ox.Literal):
        if term.language:
            return False
        return term.datatype.value == (coercion or str(XSD.string))
    return coercion == ID


class _Compactor:
    def __init__(self, prefixes: dict[str, str]):
        # Longest namespace first, so kg: wins over a shorter namespace it extends.
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))

    def iri(self, iri: str) -> str:
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace):]
                if not local.startswith("//"):      # "p://x" would read as an absolute IRI
                    return f"{prefix}:{local}"
        return iri

    def node_id(self, term) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else self.iri(term.value)

    def value(self, term, coercion: str | None):
        if _coerced_ok(coercion, term):
            return self.node_id(term) if not isinstance(term, ox.Literal) else term.value
        if isinstance(term, ox.Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            if term.datatype.value == str(XSD.string):
                return {"@value": term.value}
            return {"@value": term.value, "@type": self.iri(term.datatype.value)}
        if isinstance(term, (ox.NamedNode, ox.BlankNode)):
            return {"@id": self.node_id(term)}
        raise ValueError(f"JSON-LD export cannot write {term!r}")

    def node(self, subject, triples: list[ox.Triple]) -> dict:
        node: dict = {"id": self.node_id(subject)}
        types = [t.object for t in triples if t.predicate.value == RDF_TYPE
                 and isinstance(t.object, (ox.NamedNode, ox.BlankNode))]
        if types:
            node["type"] = [self.node_id(t) for t in types]
        for triple in triples:
            if triple.predicate.value == RDF_TYPE and triple.object in types:
                continue
            key, coercion = BY_IRI.get(triple.predicate.value) or (self.iri(triple.predicate.value), None)
            node.setdefault(key, []).append(self.value(triple.object, coercion))
        return node


def _grouped(triples: Iterable[ox.Triple]) -> Iterator[tuple[object, list[ox.Triple]]]:
    subject, group = None, []
    for triple in triples:
        if group and triple.subject != subject:
            yield subject, group
            group = []
        subject = triple.subject
        group.append(triple)
    if group:
        yield subject, group


def jsonld_chunks(triples: Iterable[ox.Triple], prefixes: dict[str, str]) -> Iterator[bytes]:
    """A JSON-LD document, the context inline, one node object per line (sorted input)."""
    compactor = _Compactor(prefixes)
    head = json.dumps(context(prefixes), ensure_ascii=False, indent=1)
    yield f'{{"@context": {head},\n"@graph": [\n'.encode("utf-8")
    separator = ""
    for subject, group in _grouped(triples):
        yield (separator + json.dumps(compactor.node(subject, group), ensure_ascii=False)).encode("utf-8")
        separator = ",\n"
    yield b"\n]}\n"


def write_jsonld(triples: list[ox.Triple], path: Path, prefixes: dict[str, str]) -> None:
    with open(path, "wb") as out:
        for chunk in jsonld_chunks(triples, prefixes):
            out.write(chunk)


def write_context(path: Path, prefixes: dict[str, str]) -> None:
    text = json.dumps({"@context": context(prefixes)}, ensure_ascii=False, indent=2) + "\n"
    write_atomically(path, text.encode("utf-8"))
