"""`chipkg compile`: claims files into the TriG the graph is made of.

Every claims file becomes `<name>.trig`, one named graph per source, holding the
source document, its entities, each claim it attests with a `ck:Attestation`
(its own quotes, level and confidence) and the quotes with both selectors. The
level and confidence of each claim are derived from all its attestations
(`derive`) and written to one more file, `derived-claims.trig`, graph
`graph/derived-claims`, so a new source never edits another source's graph.
The text is written in a fixed order with fixed names: the same claims files
give the same bytes.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal

from ..errors import UnusableInput
from ..namespaces import GRAPH, KG
from ..validate.quotes import index_sources
from . import dates
from .anchor import Anchor, locate
from .claimsfile import ENTITY_TYPES, ClaimsFile, ClaimSpec, load
from .derive import Support, derive
from .levels import BY_RANK

DERIVED = "derived-claims"
PREFIXES = """@prefix kg:      <https://w3id.org/chipkg/id/> .
@prefix ck:      <https://w3id.org/chipkg/ontology#> .
@prefix ev:      <https://w3id.org/chipkg/evidence#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix oa:      <http://www.w3.org/ns/oa#> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema:  <https://schema.org/> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
"""
ROLES = {"ModelLab", "ChipDesigner", "Foundry", "MemoryMaker", "CloudProvider", "Publisher"}


def lit(text: str, lang: str | None = None) -> str:
    return Literal(text, lang=lang).n3()


def decimal(value) -> str:
    """An xsd:decimal in Turtle needs a point: 1 alone would be an integer."""
    text = format(value, "f")
    return text if "." in text else text + ".0"


def iri(local: str) -> str:
    return f"kg:{local}"


@dataclass(frozen=True)
class Attested:
    """One claim as one source states it, anchored."""
    file: ClaimsFile
    claim: ClaimSpec
    anchors: tuple[Anchor, ...]


def slug_iri(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def read_all(paths: list[Path], sources_dir: Path) -> list[tuple[ClaimsFile, list[Attested]]]:
    files = [load(p) for p in paths]
    names = defaultdict(list)
    for f in files:
        names[f.source.name].append(str(f.path))
    doubled = {n: ps for n, ps in names.items() if len(ps) > 1}
    if doubled:
        raise UnusableInput("two claims files name the same source: " + "; ".join(
            f"{n}: {', '.join(ps)}" for n, ps in doubled.items()))
    if DERIVED in names:
        raise UnusableInput(f"the source name {DERIVED!r} is reserved")
    found = index_sources(sources_dir)
    read = []
    for f in files:
        path = found.get(f.source.sha256)
        if path is None:
            raise UnusableInput(f"no file with sha256 {f.source.sha256} in {sources_dir} "
                                f"(run `chipkg add-source` for {f.source.file})", file=str(f.path))
        text = path.read_bytes().decode("utf-8")
        attested = []
        for claim in f.claims:
            anchors = tuple(locate(text, q.text, occurrence=q.occurrence, start=q.start,
                                   where=f"{f.path}: claim {claim.id}, quote {n}")
                            for n, q in enumerate(claim.quotes, 1))
            attested.append(Attested(f, claim, anchors))
        read.append((f, attested))
    return read


def compile_files(paths: list[Path], sources_dir: Path) -> dict[str, bytes]:
    """File name → TriG bytes for every source, plus the derived-claims file."""
    if not paths:
        raise UnusableInput("no claims files to compile")
    read = read_all(paths, sources_dir)
    by_claim: dict[str, list[Attested]] = defaultdict(list)
    for _, attested in read:
        for a in attested:
            by_claim[a.claim.id].append(a)
    for claim_id, items in by_claim.items():
        texts = {a.claim.text for a in items}
        if len(texts) > 1:
            raise UnusableInput(f"claim {claim_id} is stated with different text in "
                                f"{', '.join(str(a.file.path) for a in items)}: one claim, one proposition")
    out = {f"{f.source.name}.trig": source_trig(f, attested, by_claim).encode("utf-8") for f, attested in read}
    out[f"{DERIVED}.trig"] = derived_trig(by_claim).encode("utf-8")
    return out


def support_of(a: Attested) -> Support:
    issued = a.file.source.issued
    interval = dates.parse(issued)[1:] if issued else None
    span = (interval[0].isoformat(), interval[1].isoformat()) if interval else None
    return Support(a.file.source.name, a.claim.level.rank, a.claim.confidence, span, a.file.source.publisher)


def source_trig(f: ClaimsFile, attested: list[Attested], by_claim: dict) -> str:
    s = f.source
    graph = f"<{GRAPH[s.name]}>"
    doc = iri(f"source-{s.name}")
    title = s.title
    if not title:
        raise UnusableInput(f"source {s.name} has no title: the shapes require dcterms:title; "
                            "write it in 'title:' (it is on the document itself)", file=str(f.path))
    unknown = [k for k in ("publisher", "url", "language", "issued") if not getattr(s, k)]
    out = [f"# Compiled by `chipkg compile` from {f.path.name}: edit that file, not this one.",
           f"# Quote offsets count Unicode code points from the start of {s.file}, end exclusive.", "",
           PREFIXES,
           f"{graph}\n    dcterms:source {doc} ;\n    rdfs:label {lit('Claims extracted from ' + title, 'en')} .", "",
           f"GRAPH {graph} {{", ""]
    lines = [f"{doc} a ck:SourceDocument", f"rdfs:label {lit(title, 'en')}", f"dcterms:title {lit(title)}",
             f"ck:sha256 {lit(s.sha256)}", f'dcterms:format "text/plain; charset=utf-8"']
    publisher = None
    if s.publisher:
        publisher = iri(slug_iri(s.publisher))
        lines.append(f"schema:publisher {publisher}")
    if s.url:
        lines.append(f"schema:url <{s.url}>")
    if s.language:
        lines.append(f"dcterms:language {lit(s.language)}")
    if s.issued:
        datatype = dates.parse(s.issued)[0]
        lines.append(f'dcterms:issued "{s.issued}"^^xsd:{datatype}')     # checked by dates.parse
    lines.append(f"ck:sourceReliability ck:Reliability{s.reliability}")
    if unknown:
        names = {"issued": "publication date", "url": "URL"}
        lines.append("rdfs:comment " + lit("Unknown when the source was registered, so left out: "
                                           + ", ".join(names.get(k, k) for k in unknown) + ".", "en"))
    out.append(_node(lines))
    if publisher:
        out.append(_node([f"{publisher} a ck:Company", f"rdfs:label {lit(s.publisher, 'en')}",
                          "org:classification ck:Publisher"]))
    for key in sorted(f.entities):
        e = f.entities[key]
        lines = [f"{iri(key)} a {ENTITY_TYPES[e['type']]}", f"rdfs:label {lit(e['label'], 'en')}"]
        for role in e["roles"]:
            if role not in ROLES:
                raise UnusableInput(f"entity {key}: unknown role {role!r}; use {', '.join(sorted(ROLES))}",
                                    file=str(f.path))
        if e["roles"]:
            lines.append("org:classification " + " , ".join(f"ck:{r}" for r in e["roles"]))
        out.append(_node(lines))
    for a in sorted(attested, key=lambda a: a.claim.id):
        out.extend(_claim_nodes(a, doc, len(by_claim[a.claim.id])))
    out.append("}")
    return "\n".join(out) + "\n"


def _claim_nodes(a: Attested, doc: str, sources: int) -> list[str]:
    c, name = a.claim, a.file.source.name
    claim, att = iri(f"claim-{c.id}"), iri(f"attestation-{c.id}--{name}")
    quotes = [iri(f"quote-{c.id}--{name}" + (f"-{n}" if len(a.anchors) > 1 else ""))
              for n in range(1, len(a.anchors) + 1)]
    label = c.label or c.text.rstrip(".")
    nodes = [_node([f"{claim} a ck:Claim", f"rdfs:label {lit(label, 'en')}", f"schema:text {lit(c.text, 'en')}",
                    "schema:about " + " , ".join(iri(x) for x in c.about), f"ck:hasAttestation {att}",
                    f"prov:wasDerivedFrom {doc}", "ck:hasQuote " + " , ".join(quotes)])]
    lines = [f"{att} a ck:Attestation", f"rdfs:label {lit(f'{label} — as {name} states it', 'en')}",
             f"prov:wasDerivedFrom {doc}", f"ck:evidenceLevel ev:{c.level.local}",
             f"ck:confidence {decimal(c.confidence)}", "ck:hasQuote " + " , ".join(quotes)]
    if c.attributed_to:
        lines.append(f"prov:wasAttributedTo {iri(c.attributed_to)}")
    if c.hedge:
        lines.append("ck:hedgeCue " + " , ".join(lit(h) for h in c.hedge))
    if c.note:
        lines.append(f"ck:assessmentNote {lit(c.note, 'en')}")
    nodes.append(_node(lines))
    for quote, anchor in zip(quotes, a.anchors):
        nodes.append(
            f"    {quote} a ck:Quote ;\n        rdfs:label {lit('quote for claim ' + c.id, 'en')} ;\n"
            f"        oa:hasSource {doc} ;\n        oa:hasSelector [\n            a oa:TextQuoteSelector ;\n"
            f"            oa:exact {lit(anchor.exact)} ;\n            oa:prefix {lit(anchor.prefix)} ;\n"
            f"            oa:suffix {lit(anchor.suffix)}\n        ] , [\n            a oa:TextPositionSelector ;\n"
            f"            oa:start {anchor.start} ;\n            oa:end {anchor.end}\n        ] .\n")
    return nodes


def derived_trig(by_claim: dict[str, list[Attested]]) -> str:
    graph = f"<{GRAPH[DERIVED]}>"
    out = ["# Compiled by `chipkg compile`: each claim's level and confidence, derived from all its",
           "# attestations by the rule in docs/modeling.md. Never edit by hand.", "", PREFIXES,
           f"{graph}\n    rdfs:label {lit('Evidence levels and confidence derived from the attestations of every compiled claim', 'en')} .",
           "", f"GRAPH {graph} {{", ""]
    for claim_id in sorted(by_claim):
        d = derive([support_of(a) for a in by_claim[claim_id]])
        lines = [f"{iri('claim-' + claim_id)} ck:evidenceLevel ev:{BY_RANK[d.rank].local}",
                 f"ck:confidence {decimal(d.confidence)}", f"ck:derivationNote {lit(d.note, 'en')}"]
        if d.conflict:
            lines.append("ck:inConflict true")
        out.append(_node(lines))
    out.append("}")
    return "\n".join(out) + "\n"


def _node(lines: list[str]) -> str:
    return "    " + " ;\n        ".join(lines) + " .\n"
