"""Helpers of the linked-data page tests: reading the page markup the way a reader sees it."""

import html
import re

import pyoxigraph as ox

from chipkg.project import Layout
from chipkg.rdfio import read_quads
from chipkg.server.dataset import dataset_of
from chipkg.store import store_of


def plain(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", fragment))).strip()


def sections(page: str) -> list[tuple[str, str]]:
    """(data-level, inner HTML) of each evidence-level section, in page order."""
    return re.findall(r'<section class="evidence-level[^"]*" data-level="(\w+)"[^>]*>(.*?)</section>',
                      page, re.S)


def articles(fragment: str) -> list[str]:
    return re.findall(r'<article class="claim".*?</article>', fragment, re.S)


def dataset_from(trig: str, tmp_path):
    """A Dataset of the ontology plus `trig` (not validated: tests feed it hostile data)."""
    path = tmp_path / "fixture.trig"
    path.write_text(trig, encoding="utf-8")
    quads = read_quads(list(Layout().ontology_files) + [path])
    return dataset_of(store_of(quads), [str(path)])


HOSTILE_LABEL = '<script>alert("x")</script> & "Co"'
FORMULA_LABEL = "=HYPERLINK(\"http://example.org\",\"click\")"


def hostile_trig(base: str = "https://w3id.org/chipkg/") -> str:
    """A tiny graph whose every label and quote is hostile: script tags, quotes, formulas."""
    return f"""
@prefix kg: <{base}id/> . @prefix ck: <https://w3id.org/chipkg/ontology#> .
@prefix ev: <https://w3id.org/chipkg/evidence#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{base}graph/evil> dcterms:source kg:src ; rdfs:label {_lit(HOSTILE_LABEL)}@en .
GRAPH <{base}graph/evil> {{
  kg:src a ck:SourceDocument ; rdfs:label {_lit(HOSTILE_LABEL)}@en ; ck:sourceReliability ck:ReliabilityF .
  kg:evil a ck:Company ; rdfs:label {_lit(HOSTILE_LABEL)}@en .
  kg:other a ck:Company ; rdfs:label {_lit(FORMULA_LABEL)}@en .
  kg:chip a ck:Chip ; rdfs:label {_lit(HOSTILE_LABEL)}@en ; ck:designedBy kg:evil ;
      ck:announcedOn "2026-04"^^xsd:gYearMonth .
  kg:person a schema:Person ; rdfs:label {_lit(HOSTILE_LABEL)}@en .
  kg:deal a ck:Deal ; rdfs:label {_lit(HOSTILE_LABEL)}@en ; ck:party kg:evil , kg:other ;
      ck:dealType ck:FoundryOrder ; ck:evidenceLevel ev:Unsupported ; ck:confidence 0.10 ;
      ck:announcedOn "2026"^^xsd:gYear .
  kg:claim a ck:Claim ; rdfs:label {_lit(HOSTILE_LABEL)}@en ; schema:text {_lit(FORMULA_LABEL)}@en ;
      schema:about kg:evil , kg:deal , kg:chip , kg:person ; ck:evidenceLevel ev:Speculative ;
      ck:confidence 0.30 ; ck:hedgeCue "<b>may</b>" ; prov:wasDerivedFrom kg:src ;
      ck:assessmentNote {_lit(HOSTILE_LABEL)}@en ; ck:hasQuote kg:quote .
  kg:quote a ck:Quote ; oa:hasSource kg:src ;
      oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "it <b>may</b> <script>alert(1)</script>" ;
                       oa:prefix "<img src=x onerror=alert(2)>" ; oa:suffix "</blockquote><script>" ] ,
                     [ a oa:TextPositionSelector ; oa:start 0 ; oa:end 10 ] .
}}
"""


def _lit(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def iri(local: str) -> ox.NamedNode:
    return ox.NamedNode("https://w3id.org/chipkg/id/" + local)
