"""What the ontology documentation shows, read from the Turtle into plain records.

Every term minted in the two namespaces (ck: and ev:) gets an entry: its label,
definition, kind, super- and sub-classes or -properties, domain and range, the
properties that use a class, and for SKOS concepts their scheme, notation, rank
and (for evidence levels) confidence band. Lists are sorted so the output is
deterministic.
"""

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from ..namespaces import CK, EV, shorten

VANN = "http://purl.org/vocab/vann/"
ONTOLOGY = URIRef("https://w3id.org/chipkg/ontology")
PAGE_OF = {str(CK): "ontology", str(EV): "evidence"}


@dataclass(frozen=True)
class Ref:
    iri: str
    curie: str
    label: str | None
    href: str           # an anchor on this page, a path on this server, or the IRI itself


@dataclass
class Term:
    iri: str
    anchor: str
    curie: str
    label: str
    definition: str | None
    kinds: list[str]
    comment: str | None = None
    types: list[Ref] = field(default_factory=list)
    supers: list[Ref] = field(default_factory=list)
    subs: list[Ref] = field(default_factory=list)
    domain: list[Ref] = field(default_factory=list)
    range: list[Ref] = field(default_factory=list)
    domain_of: list[Ref] = field(default_factory=list)
    range_of: list[Ref] = field(default_factory=list)
    members: list[Ref] = field(default_factory=list)
    in_scheme: list[Ref] = field(default_factory=list)
    matches: list[Ref] = field(default_factory=list)
    notation: str | None = None
    rank: int | None = None
    band: tuple[str, str] | None = None


@dataclass
class Section:
    id: str
    title: str
    terms: list[Term]


@dataclass
class Page:
    name: str
    title: str
    namespace: str
    prefix: str
    sections: list[Section]


@dataclass
class Documentation:
    title: str
    description: str | None
    version: str | None
    version_iri: str | None
    license: str | None
    created: str | None
    modified: str | None
    change_notes: list[str]
    see_also: list[str]
    files: list[str]
    pages: dict[str, Page]


def _text(graph: Graph, subject, predicate) -> str | None:
    values = sorted(str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal))
    return values[0] if values else None


def _page_of(iri: str) -> str | None:
    for namespace, page in PAGE_OF.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return page
    return None


class _Reader:
    def __init__(self, graph: Graph):
        self.graph = graph

    def label(self, node) -> str | None:
        return _text(self.graph, node, SKOS.prefLabel) or _text(self.graph, node, RDFS.label)

    def ref(self, node, here: str) -> Ref:
        iri = str(node)
        page = _page_of(iri)
        anchor = iri.rsplit("#", 1)[-1]
        href = iri if page is None else (f"#{anchor}" if page == here else f"/{page}#{anchor}")
        return Ref(iri, shorten(iri), self.label(node), href)

    def refs(self, nodes, here: str) -> list[Ref]:
        unique = {n for n in nodes if isinstance(n, URIRef)}
        return sorted((self.ref(n, here) for n in unique), key=lambda r: (r.curie.lower(), r.curie))

    def term(self, node: URIRef, kinds: list[str], here: str) -> Term:
        g, iri = self.graph, str(node)
        term = Term(iri, iri.rsplit("#", 1)[-1], shorten(iri), self.label(node) or shorten(iri),
                    _text(g, node, SKOS.definition), kinds, _text(g, node, RDFS.comment))
        term.types = self.refs((t for t in g.objects(node, RDF.type)
                                if _page_of(str(t)) is not None), here)
        term.supers = self.refs(list(g.objects(node, RDFS.subClassOf))
                                + list(g.objects(node, RDFS.subPropertyOf)), here)
        term.subs = self.refs(list(g.subjects(RDFS.subClassOf, node))
                              + list(g.subjects(RDFS.subPropertyOf, node)), here)
        term.domain = self.refs(g.objects(node, RDFS.domain), here)
        term.range = self.refs(g.objects(node, RDFS.range), here)
        term.domain_of = self.refs(g.subjects(RDFS.domain, node), here)
        term.range_of = self.refs(g.subjects(RDFS.range, node), here)
        term.members = self.refs(list(g.subjects(SKOS.inScheme, node)) + list(g.subjects(RDF.type, node)),
                                 here)
        ordered = g.value(node, SKOS.memberList)
        if ordered is not None:         # an ordered collection keeps its order
            term.members = [self.ref(m, here) for m in Collection(g, ordered)]
        term.in_scheme = self.refs(g.objects(node, SKOS.inScheme), here)
        term.matches = self.refs(list(g.objects(node, SKOS.closeMatch))
                                 + list(g.objects(node, SKOS.exactMatch)), here)
        term.notation = _text(g, node, SKOS.notation)
        rank = g.value(node, CK.rank)
        term.rank = int(rank) if rank is not None else None
        low, high = g.value(node, CK.minConfidence), g.value(node, CK.maxConfidence)
        if low is not None and high is not None:
            term.band = (str(low), str(high))
        return term


def _kinds(graph: Graph, node) -> list[str]:
    types = set(graph.objects(node, RDF.type))
    kinds = []
    for rdf_type, name in ((OWL.Class, "class"), (OWL.ObjectProperty, "object property"),
                           (OWL.DatatypeProperty, "datatype property"),
                           (OWL.FunctionalProperty, "functional"),
                           (SKOS.ConceptScheme, "concept scheme"),
                           (SKOS.OrderedCollection, "ordered collection")):
        if rdf_type in types:
            kinds.append(name)
    concept_classes = set(graph.subjects(RDFS.subClassOf, SKOS.Concept)) | {SKOS.Concept}
    if types & concept_classes:
        kinds.append("concept")
    return kinds


def _order(terms: list[Term]) -> list[Term]:
    return sorted(terms, key=lambda t: (-(t.rank or 0), t.anchor.lower(), t.anchor))


def document(files: list[Path]) -> Documentation:
    graph = Graph()
    for path in sorted(files):
        graph.parse(path, format="turtle")
    reader = _Reader(graph)
    minted = sorted({s for s in graph.subjects() if isinstance(s, URIRef) and _page_of(str(s))},
                    key=str)
    by_page: dict[str, dict[str, list[Term]]] = {"ontology": {}, "evidence": {}}
    for node in minted:
        page = _page_of(str(node))
        kinds = _kinds(graph, node)
        group = ("classes" if "class" in kinds else "object" if "object property" in kinds
                 else "datatype" if "datatype property" in kinds else "schemes"
                 if {"concept scheme", "ordered collection"} & set(kinds) else "concepts")
        by_page[page].setdefault(group, []).append(reader.term(node, kinds, page))

    def sections(page: str, titles: list[tuple[str, str]]) -> list[Section]:
        found = by_page[page]
        chosen = [Section(key, title, _order(found[key])) for key, title in titles if found.get(key)]
        return chosen

    ontology_sections = sections("ontology", [("classes", "Classes"), ("object", "Object properties"),
                                              ("datatype", "Datatype properties"),
                                              ("schemes", "Concept schemes")])
    for scheme in next((s.terms for s in ontology_sections if s.id == "schemes"), []):
        concepts = [t for t in by_page["ontology"].get("concepts", [])
                    if any(r.iri == scheme.iri for r in t.in_scheme)]
        ontology_sections.append(Section(f"scheme-{scheme.anchor}", scheme.label[:1].upper()
                                         + scheme.label[1:], _order(concepts)))
    evidence_sections = sections("evidence", [("schemes", "The evidence scheme"),
                                              ("concepts", "Evidence levels")])
    pages = {
        "ontology": Page("ontology", "chipkg ontology", str(CK), "ck", ontology_sections),
        "evidence": Page("evidence", "chipkg evidence levels", str(EV), "ev", evidence_sections),
    }
    return Documentation(
        title=_text(graph, ONTOLOGY, DCTERMS.title) or "chipkg ontology",
        description=_text(graph, ONTOLOGY, DCTERMS.description),
        version=_text(graph, ONTOLOGY, OWL.versionInfo),
        version_iri=str(graph.value(ONTOLOGY, OWL.versionIRI) or "") or None,
        license=str(graph.value(ONTOLOGY, DCTERMS.license) or "") or None,
        created=_text(graph, ONTOLOGY, DCTERMS.created),
        modified=_text(graph, ONTOLOGY, DCTERMS.modified),
        change_notes=sorted(str(o) for o in graph.objects(ONTOLOGY, SKOS.changeNote)),
        see_also=sorted(str(o) for o in graph.objects(ONTOLOGY, RDFS.seeAlso)),
        files=[p.name for p in sorted(files)],
        pages=pages)
