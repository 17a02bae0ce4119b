"""The ontology documentation: generated from ontology/*.ttl, deterministic, committed copy current."""

import re
import shutil

import pytest
from rdflib import Graph, URIRef

from chipkg.ontodoc import render_pages
from chipkg.namespaces import CK, EV


@pytest.fixture(scope="module")
def pages(layout):
    return render_pages(layout.ontology_files)


def test_the_committed_copies_in_docs_are_current(layout, pages):
    for name, html in pages.items():
        committed = (layout.root / "docs" / f"{name}.html").read_text(encoding="utf-8")
        assert committed == html, (f"docs/{name}.html is stale: run `chipkg build` and commit it")


def test_generation_is_deterministic(layout, pages):
    assert render_pages(list(reversed(layout.ontology_files))) == pages


def test_every_minted_term_has_an_anchor_on_its_page(layout, pages):
    graph = Graph()
    for path in layout.ontology_files:
        graph.parse(path, format="turtle")
    minted = {s for s in graph.subjects() if isinstance(s, URIRef)
              and (str(s).startswith(str(CK)) or str(s).startswith(str(EV)))}
    assert len(minted) > 80
    for term in minted:
        page = "evidence" if str(term).startswith(str(EV)) else "ontology"
        anchor = str(term).rsplit("#", 1)[1]
        assert f'<article class="term" id="{anchor}">' in pages[page], term
        assert f'<p class="iri">{term}</p>' in pages[page], term
    ids = re.findall(r'\bid="([^"]+)"', pages["ontology"])
    assert len(ids) == len(set(ids)), "duplicate anchors"


def entry(html: str, anchor: str) -> str:
    return re.search(rf'<article class="term" id="{anchor}">(.*?)</article>', html, re.S).group(1)


def test_a_class_shows_label_definition_superclasses_and_its_properties(pages):
    claim = entry(pages["ontology"], "Claim")
    assert "<h3>claim <span class=\"kind\">class</span></h3>" in claim
    assert "One proposition a source makes about an organization" in claim
    assert '<a href="https://schema.org/Claim" title="https://schema.org/Claim">schema:Claim</a>' in claim
    assert '<a href="#hasQuote" title="https://w3id.org/chipkg/ontology#hasQuote">has quote</a>' in claim
    assert "Domain of" in claim


def test_a_property_shows_domain_range_and_kind(pages):
    level = entry(pages["ontology"], "evidenceLevel")
    assert "object property, functional" in level
    assert '<dt>Range</dt><dd><a href="#EvidenceLevel"' in level
    designed = entry(pages["ontology"], "designedBy")
    assert '<dt>Domain</dt><dd><a href="#Chip"' in designed and '<dt>Range</dt><dd><a href="#Company"' in designed


def test_evidence_levels_with_notation_rank_and_band_on_the_evidence_page(pages):
    confirmed = entry(pages["evidence"], "OfficiallyConfirmed")
    assert "<dd><code>CONF</code></dd>" in confirmed and "<dt>Rank</dt><dd>5</dd>" in confirmed
    assert "<dt>Confidence</dt><dd>0.90 to 1.00</dd>" in confirmed
    assert '<a href="/ontology#EvidenceLevel"' in confirmed          # the class lives on the other page
    order = [m for m in re.findall(r'<article class="term" id="(\w+)">', pages["evidence"])
             if m in ("OfficiallyConfirmed", "Reported", "Speculative", "Unsupported", "Denied")]
    assert order == ["OfficiallyConfirmed", "Reported", "Speculative", "Unsupported", "Denied"]
    assert '<a href="/evidence#Reported"' in entry(pages["ontology"], "EvidenceLevel")


def test_skos_schemes_of_the_ontology_each_have_a_section(pages):
    for section in ("scheme-roles", "scheme-stages", "scheme-dealTypes", "scheme-reliabilityScale",
                    "scheme-purposes"):
        assert f'<section id="{section}">' in pages["ontology"], section
    assert "<dd><code>F</code></dd>" in entry(pages["ontology"], "ReliabilityF")


def test_text_from_the_ontology_is_escaped(layout, tmp_path):
    for path in layout.ontology_files:
        shutil.copy(path, tmp_path / path.name)
    extra = tmp_path / "extra.ttl"
    extra.write_text('@prefix ck: <https://w3id.org/chipkg/ontology#> .\n'
                     '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                     '@prefix owl: <http://www.w3.org/2002/07/owl#> .\n'
                     'ck:Evil a owl:Class ; rdfs:label "<script>alert(1)</script>"@en .\n')
    html = render_pages(sorted(tmp_path.glob("*.ttl")))["ontology"]
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_build_writes_the_documentation(invoke, sources, tmp_path, pages):
    target = tmp_path / "build"
    result = invoke("build", "--output-dir", target, "--sources", sources)
    assert result.exit_code == 0, result.output
    for name, html in pages.items():
        assert (target / f"{name}.html").read_text(encoding="utf-8") == html
