"""Quote verification against the bytes of the source file."""

import hashlib
import shutil

import pyoxigraph as ox

from chipkg.namespaces import CK
from chipkg.validate.quotes import verify_quotes
from chipkg.rdfio import read_quads, to_rdflib

ARTICLE = "blockbeats-anthropic-ai-chips-samsung.txt"


def _shipped(layout):
    return to_rdflib(read_quads(layout.ontology_files + layout.graph_files))


def test_every_shipped_quote_matches_its_source(layout, sources):
    problems, checked = verify_quotes(_shipped(layout), sources)
    assert problems == []
    assert checked >= 50


def test_one_changed_character_in_the_source_fails_with_claim_expected_and_found(
        layout, sources, tmp_path):
    text = (sources / ARTICLE).read_text(encoding="utf-8")
    position = text.index("Micron announced on June 22, 2026")
    tampered = text[:position] + "m" + text[position + 1:]
    # The tampered copy has another sha256, so point the graph at it by re-hashing:
    # verification must then find the one changed character.
    (tmp_path / ARTICLE).write_text(tampered, encoding="utf-8")
    graph = _shipped(layout)
    old = next(graph.objects(None, CK.sha256))
    new = hashlib.sha256(tampered.encode("utf-8")).hexdigest()
    for document in list(graph.subjects(CK.sha256, old)):
        graph.set((document, CK.sha256, type(old)(new)))
    problems, _ = verify_quotes(graph, tmp_path)
    assert problems, "a changed character went unnoticed"
    micron = [p for p in problems if p.focus == "kg:claim-micron-anthropic-strategic-agreement"]
    assert micron and "expected 'Micron announced" in micron[0].message
    assert "found 'micron announced" in micron[0].message


def test_a_changed_source_file_is_not_found_by_its_sha256(layout, sources, tmp_path):
    shutil.copy(sources / ARTICLE, tmp_path / ARTICLE)
    with open(tmp_path / ARTICLE, "a", encoding="utf-8") as handle:
        handle.write(" ")
    problems, _ = verify_quotes(_shipped(layout), tmp_path)
    assert [p.focus for p in problems] == ["kg:source-blockbeats-anthropic-ai-chips-samsung"]
    assert "no file with sha256" in problems[0].message


def test_a_tampered_quote_fails(layout, sources):
    store = ox.Store()
    store.extend(read_quads(layout.ontology_files + layout.graph_files))
    store.update("""
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX kg: <https://w3id.org/chipkg/id/>
        DELETE { GRAPH ?g { ?s oa:exact ?e } } INSERT { GRAPH ?g { ?s oa:exact ?changed } }
        WHERE { GRAPH ?g { kg:quote-samsung-secured-anthropic-order oa:hasSelector ?s . ?s oa:exact ?e }
                BIND (REPLACE(?e, "Samsung", "Samsang") AS ?changed) }""")
    problems, _ = verify_quotes(to_rdflib(store), sources)
    assert [p.focus for p in problems] == ["kg:claim-samsung-secured-anthropic-order"]
    assert "Samsang" in problems[0].message and "Samsung" in problems[0].message


def test_shifted_offsets_fail_even_when_the_text_is_right(layout, minimal_graph, fixture_sources):
    store = ox.Store()
    store.extend(read_quads(layout.ontology_files + [minimal_graph]))
    store.update("""
        PREFIX oa: <http://www.w3.org/ns/oa#>
        DELETE { ?s oa:start 22 ; oa:end 103 } INSERT { ?s oa:start 23 ; oa:end 104 }
        WHERE { ?s oa:start 22 }""")
    problems, _ = verify_quotes(to_rdflib(store), fixture_sources)
    assert {p.path for p in problems} >= {"ck:hasQuote/oa:hasSelector/oa:exact"}
