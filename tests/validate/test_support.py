"""An engine that would skip a constraint kind stops with exit 2, never "conforms"."""

import pytest
import shacl

from chipkg.errors import UnusableInput
from chipkg.rdfio import read_quads
from chipkg.validate.engines import ENGINES, engine_named

SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ck: <https://w3id.org/chipkg/ontology#> .
ck:MustFail a sh:NodeShape ; sh:targetClass ck:Deal ;
    sh:js [ a sh:JSConstraint ; sh:jsFunctionName "alwaysFalse" ;
            sh:jsLibrary [ sh:jsLibraryURL "file:///always-false.js" ] ] .
"""
MISSPELT = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ck: <https://w3id.org/chipkg/ontology#> .
ck:TooFewParties a sh:NodeShape ; sh:targetClass ck:Deal ;
    sh:property [ sh:path ck:party ; sh:minCout 50 ] .
"""


def test_the_raw_engine_would_silently_conform():
    """Why the check exists: the engine alone ignores what it does not implement."""
    for text in (SHAPES, MISSPELT):
        report = shacl.Shapes.from_turtle(text).validate_turtle(
            "<https://w3id.org/chipkg/id/d> a <https://w3id.org/chipkg/ontology#Deal> .")
        assert report.conforms and len(report) == 0


@pytest.mark.parametrize("engine", list(ENGINES))
@pytest.mark.parametrize("text, term", [(SHAPES, "sh:JSConstraint"), (SHAPES, "sh:js"),
                                        (MISSPELT, "sh:minCout")])
def test_unsupported_kind_is_refused(tmp_path, engine, text, term):
    path = tmp_path / "shapes.ttl"
    path.write_text(text)
    with pytest.raises(UnusableInput, match=term):
        engine_named(engine, read_quads([path]))


def test_cli_exits_2_naming_the_kind(invoke, tmp_path):
    path = tmp_path / "shapes.ttl"
    path.write_text(SHAPES)
    result = invoke("validate", "--shapes", path, "--skip-quotes", "--no-cache")
    assert result.exit_code == 2
    assert "sh:js" in result.stderr and "refusing to report conformance" in result.stderr
    assert "conforms" not in result.stdout


def test_data_in_a_shapes_file_is_not_mistaken_for_a_shape(tmp_path):
    """sh: terms on a node that is no shape (test data in the same file) are not checks."""
    path = tmp_path / "shapes.ttl"
    path.write_text(MISSPELT.replace("sh:property [ sh:path ck:party ; sh:minCout 50 ]",
                                     "sh:property [ sh:path ck:party ; sh:minCount 2 ]")
                    + "ck:someDatum sh:nodeShape ck:TooFewParties .\n")
    engine_named("shacl", read_quads([path]))
