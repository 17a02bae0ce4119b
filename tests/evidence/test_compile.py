"""add-source and compile: registering documents, anchoring quotes, deterministic TriG."""

import shutil
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from chipkg.errors import UnusableInput
from chipkg.evidence.anchor import locate, suggest
from chipkg.evidence.compiling import compile_files

FIXTURES = Path(__file__).parent.parent / "fixtures"
CLAIMS = FIXTURES / "claims"
SOURCES = FIXTURES / "sources"
ARTICLE = "northwind-orion-zephyr"


def _query(files: dict[str, bytes], text: str) -> list:
    store = ox.Store()
    for data in files.values():
        store.load(data, format=ox.RdfFormat.TRIG)
    return list(store.query("PREFIX ck: <https://w3id.org/chipkg/ontology#>\n"
                            "PREFIX oa: <http://www.w3.org/ns/oa#>\n" + text,
                            use_default_graph_as_union=True))


def test_add_source_copies_the_file_and_records_unknowns(invoke, tmp_path):
    result = invoke("add-source", SOURCES / f"{ARTICLE}.txt", "--title", "T", "--date", "2026-03",
                    "--sources", tmp_path / "src", "--claims-dir", tmp_path / "claims")
    assert result.exit_code == 0, result.output
    copied = tmp_path / "src" / f"{ARTICLE}.txt"
    assert copied.read_bytes() == (SOURCES / f"{ARTICLE}.txt").read_bytes()
    text = (tmp_path / "claims" / f"{ARTICLE}.yaml").read_text()
    assert "publisher: null" in text and "url: null" in text and "language: null" in text
    assert "issued: '2026-03'" in text and "unknown: [publisher, url, language]" in text
    # Registering the same bytes again is harmless; different bytes under the name are refused.
    assert invoke("add-source", SOURCES / f"{ARTICLE}.txt", "--sources", tmp_path / "src",
                  "--claims-dir", tmp_path / "claims").exit_code == 0
    other = tmp_path / f"{ARTICLE}.txt"
    other.write_text("something else\n")
    result = invoke("add-source", other, "--sources", tmp_path / "src", "--claims-dir", tmp_path / "c2")
    assert result.exit_code == 2 and "never overwritten" in result.output
    assert copied.read_bytes() == (SOURCES / f"{ARTICLE}.txt").read_bytes()


def test_add_source_refuses_non_utf8_and_bad_dates(invoke, tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("caf\xe9\n".encode("latin-1"))
    result = invoke("add-source", latin, "--sources", tmp_path / "src", "--claims-dir", tmp_path / "c")
    assert result.exit_code == 2 and "not UTF-8" in result.output
    assert not (tmp_path / "src").exists()
    result = invoke("add-source", SOURCES / f"{ARTICLE}.txt", "--date", "March 2026",
                    "--sources", tmp_path / "src", "--claims-dir", tmp_path / "c")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_compile_writes_selectors_that_match_the_source():
    files = compile_files([CLAIMS / f"{ARTICLE}.yaml"], SOURCES)
    text = (SOURCES / f"{ARTICLE}.txt").read_text()
    rows = _query(files, "SELECT ?exact ?prefix ?suffix ?start ?end WHERE { ?q a ck:Quote ; "
                         "oa:hasSelector ?a , ?b . ?a oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix . "
                         "?b oa:start ?start ; oa:end ?end }")
    assert len(rows) == 4
    for row in rows:
        start, end = int(row["start"].value), int(row["end"].value)
        assert text[start:end] == row["exact"].value
        assert text[:start].endswith(row["prefix"].value) and text[end:].startswith(row["suffix"].value)
    # The proposition stated in the summary and in the body keeps both quotes, on one claim.
    starts = _query(files, "SELECT ?start WHERE { <https://w3id.org/chipkg/id/claim-orion-zephyr-wafer-agreement> "
                           "ck:hasQuote/oa:hasSelector/oa:start ?start }")
    assert sorted(int(r["start"].value) for r in starts) == [
        i for i in range(len(text)) if text.startswith("has reportedly signed a wafer", i)]


def test_compile_is_deterministic_and_validated(invoke, tmp_path):
    out = tmp_path / "out"
    first = invoke("compile", CLAIMS, "--sources", SOURCES, "--output-dir", out)
    assert first.exit_code == 0, first.output
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    again = invoke("compile", CLAIMS, "--sources", SOURCES, "--output-dir", out)
    assert again.exit_code == 0 and again.output.count("unchanged") == len(before) == 4
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_quote_not_found_gets_the_closest_passages(tmp_path):
    text = (SOURCES / f"{ARTICLE}.txt").read_text()
    with pytest.raises(UnusableInput) as error:
        locate(text, "Orion Labs has reportedly signed a wafer deal with Zephyr Foundry")
    message = str(error.value)
    assert "not found verbatim" in message and "Closest passages: at " in message
    best = suggest(text, "Orion Labs has reportedly signed a wafer deal with Zephyr Foundry")[0]
    assert text[best[1]:].startswith("Orion Labs has reportedly signed")


def test_a_quote_found_twice_asks_which(tmp_path):
    text = (SOURCES / f"{ARTICLE}.txt").read_text()
    with pytest.raises(UnusableInput) as error:
        locate(text, "has reportedly signed a wafer supply agreement")
    assert "occurs 2 times" in str(error.value) and "occurrence 2 at" in str(error.value)
    second = text.index("has reportedly signed", text.index("has reportedly signed") + 1)
    assert locate(text, "has reportedly signed", start=second).start == second
    with pytest.raises(UnusableInput):
        locate(text, "has reportedly signed", start=second + 1)


def test_compile_reports_unusable_claims_files(invoke, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((CLAIMS / f"{ARTICLE}.yaml").read_text().replace("level: SPEC\n    confidence: 0.35",
                                                                    "level: MAYBE\n    confidence: 0.35"))
    result = invoke("compile", bad, "--sources", SOURCES, "--output-dir", tmp_path / "out")
    assert result.exit_code == 2 and "unknown evidence level 'MAYBE'" in result.output
    assert not (tmp_path / "out").exists()
    doubled = tmp_path / "doubled.yaml"
    doubled.write_text("source:\n  name: a\n  name: b\n")
    result = invoke("compile", doubled, "--sources", SOURCES, "--output-dir", tmp_path / "out")
    assert result.exit_code == 2 and "given twice" in result.output


def test_compile_refuses_a_confidence_outside_the_band(invoke, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((CLAIMS / f"{ARTICLE}.yaml").read_text().replace("confidence: 0.35", "confidence: 0.95"))
    result = invoke("compile", bad, "--sources", SOURCES, "--output-dir", tmp_path / "out")
    assert result.exit_code == 1 and "outside the band" in result.output
    assert not (tmp_path / "out").exists()


def test_add_source_refuses_a_url_that_is_not_one(invoke, tmp_path):
    result = invoke("add-source", SOURCES / f"{ARTICLE}.txt", "--url", "example dot com",
                    "--sources", tmp_path / "src", "--claims-dir", tmp_path / "c")
    assert result.exit_code == 2 and "not an http(s) URL" in result.output


def test_a_deleted_claims_file_takes_its_compiled_graph_with_it(invoke, tmp_path):
    claims, out = tmp_path / "claims", tmp_path / "out"
    shutil.copytree(CLAIMS, claims)
    assert invoke("compile", claims, "--sources", SOURCES, "--output-dir", out).exit_code == 0
    hand_written = out / "hand-written.trig"
    hand_written.write_text("# written by a person\n")
    (claims / "bellhaven-orion-denies.yaml").unlink()
    again = invoke("compile", claims, "--sources", SOURCES, "--output-dir", out)
    assert again.exit_code == 0, again.output
    assert "removed" in again.output and not (out / "bellhaven-orion-denies.trig").exists()
    assert hand_written.read_text() == "# written by a person\n"      # not ours: kept
    assert sorted(p.name for p in out.iterdir()) == [
        "derived-claims.trig", "hand-written.trig", "northwind-orion-zephyr.trig", "zephyr-press-release.trig"]
