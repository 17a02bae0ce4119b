"""Hostile files given to the CLI (issue 10, item 4): entity expansion, external entities,
huge literals, prefix chains. Each is refused with exit 2 naming the file, or read in
bounded memory; nothing is fetched and no file's content leaks."""

import subprocess
import sys
from pathlib import Path

import pytest

RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/"'


def rdf_xml(tmp_path: Path, doctype: str, value: str, name: str = "file.rdf") -> Path:
    path = tmp_path / name
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{doctype}\n]>\n<rdf:RDF {RDF_NS}>\n'
                    f'<rdf:Description rdf:about="http://example.org/a"><ex:p>{value}</ex:p>'
                    '</rdf:Description>\n</rdf:RDF>\n')
    return path


def laughs(levels: int = 9) -> str:
    lines = ['<!ENTITY l0 "aaaaaaaaaa">']
    lines += [f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, levels + 1)]
    return "\n".join(lines)


def test_billion_laughs_is_refused_before_parsing(invoke, tmp_path):
    path = rdf_xml(tmp_path, laughs(), "&l9;")      # would be a 1 GB literal, 3 GB of memory
    result = invoke("validate", path)
    assert result.exit_code == 2
    assert f"{path}:4: RDF/XML DOCTYPE declares an entity l1 that refers to other entities" in result.stderr


@pytest.mark.parametrize("declaration, says", [
    ('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "an external entity xxe"),
    ('<!ENTITY xxe PUBLIC "-//x//y" "http://127.0.0.1:9/dtd">', "an external entity xxe"),
    ('<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;', "a parameter entity %p"),
    ('<!ENTITY big "' + "x" * 5000 + '">', "an entity big of 5000 characters"),
])
def test_external_parameter_and_oversized_entities_are_refused(invoke, tmp_path, declaration, says):
    result = invoke("validate", rdf_xml(tmp_path, declaration, "&xxe;"))
    assert result.exit_code == 2 and says in result.stderr
    assert "root:" not in result.output


def test_external_entity_never_reads_the_file_even_past_the_check(tmp_path):
    """Below the check, pyoxigraph itself refuses SYSTEM entities: nothing is read or fetched."""
    import pyoxigraph as ox
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT")
    path = rdf_xml(tmp_path, f'<!ENTITY xxe SYSTEM "file://{secret}">', "&xxe;")
    with pytest.raises(SyntaxError) as error:
        list(ox.parse(path=path, format=ox.RdfFormat.RDF_XML))
    assert "SECRET" not in str(error.value)


def test_many_flat_references_are_bounded_by_the_size_limit(invoke, tmp_path, monkeypatch):
    monkeypatch.setenv("CHIPKG_MAX_DATA_FILE_BYTES", "1000000")
    path = rdf_xml(tmp_path, '<!ENTITY e "' + "x" * 1000 + '">', "&e;" * 10_000)   # 10 MB expanded
    result = invoke("validate", path)
    assert result.exit_code == 2 and "would expand to 10000000 bytes" in result.stderr


def test_flat_namespace_entities_as_owl_tools_write_them_still_work(invoke, tmp_path):
    path = tmp_path / "owl.rdf"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY ex "http://example.org/"> ]>\n'
                    f'<rdf:RDF {RDF_NS}><rdf:Description rdf:about="&ex;a"><ex:p>v</ex:p>'
                    '</rdf:Description></rdf:RDF>\n')
    result = invoke("validate", path)
    assert result.exit_code == 0, result.output


def literal_file(path: Path, size: int) -> Path:
    """A Turtle file of exactly `size` bytes: one triple whose literal fills it, streamed."""
    head, tail = b'<http://example.org/a> <http://example.org/p> "', b'" .\n'
    with open(path, "wb") as out:
        out.write(head)
        left = size - len(head) - len(tail)
        while left > 0:
            out.write(b"x" * min(left, 1 << 20))
            left -= min(left, 1 << 20)
        out.write(tail)
    assert path.stat().st_size == size
    return path


def test_file_over_the_size_limit_is_refused_and_at_the_limit_read(invoke, tmp_path, monkeypatch):
    monkeypatch.setenv("CHIPKG_MAX_DATA_FILE_BYTES", "2000000")
    over = invoke("validate", literal_file(tmp_path / "over.ttl", 2_000_001))
    assert over.exit_code == 2
    assert "over.ttl: file of 2000001 bytes is larger than the limit of 2000000 bytes" in over.stderr
    at = invoke("validate", literal_file(tmp_path / "at.ttl", 2_000_000))
    assert at.exit_code == 0, at.output


def test_serve_refuses_a_data_file_over_the_limit(tmp_path):
    big = literal_file(tmp_path / "big.ttl", 3_000_000)
    env = {"CHIPKG_MAX_DATA_FILE_BYTES": "1000000", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", "from chipkg.cli import cli; cli()", "serve",
                           "--port", "0", "--skip-quotes", "--no-default-graph", "--data", str(big)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 2, done.stderr
    assert "big.ttl: file of 3000000 bytes is larger than the limit of 1000000 bytes" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_long_prefix_chain_is_linear(invoke, tmp_path):
    """Turtle prefixes expand once (a prefix is an IRI, never another prefix): 20,000 of them,
    each used, read in one pass."""
    path = tmp_path / "prefixes.ttl"
    with open(path, "w") as out:
        for i in range(20_000):
            out.write(f"@prefix p{i}: <http://example.org/{i}/> .\n")
        for i in range(20_000):
            out.write(f"p{i}:s p{i}:p p{(i + 1) % 20_000}:o .\n")
    result = invoke("validate", path)
    assert result.exit_code == 0, result.output
