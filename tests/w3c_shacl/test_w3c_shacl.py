"""The W3C SHACL test suite (Core and SHACL-SPARQL) on chipkg's default engine.

Each test of suite/ (vendored from w3c/data-shapes, see README.md there) is one
pytest case. Known failures are listed with their reason in
expected-failures.toml; they run as strict xfails, so a listed test that starts
to pass fails the run until it is taken off the list.
"""

import tomllib
from pathlib import Path

import pytest

from chipkg.validate.engines import DEFAULT_ENGINE

from .suite_runner import cases, run

EXPECTED = tomllib.loads((Path(__file__).parent / "expected-failures.toml").read_text())
CASES = cases()


def test_the_whole_suite_is_read():
    """A broken manifest walk must not pass as a short suite."""
    assert len(CASES) == 120
    assert {c.id.split("/")[0] for c in CASES} == {"core", "sparql"}
    listed = set(EXPECTED[DEFAULT_ENGINE])
    assert listed <= {c.id for c in CASES}, "expected-failures.toml names a test that does not exist"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_w3c_shacl(case, request):
    reason = EXPECTED[DEFAULT_ENGINE].get(case.id)
    if reason:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))
    assert run(case, DEFAULT_ENGINE) == case.expected
