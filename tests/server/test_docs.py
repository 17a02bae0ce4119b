"""docs/endpoint.md stays true to the code: every route, setting, option, format, header, status."""

import re

import pytest

from chipkg.formats import FORMATS
from chipkg.server.command import serve
from chipkg.server.config import DEFAULTS
from chipkg.server.metrics import COUNTERS


@pytest.fixture(scope="module")
def doc(layout) -> str:
    return (layout.root / "docs" / "endpoint.md").read_text()


def test_every_setting_is_documented_with_its_default(doc):
    for name, default in DEFAULTS.items():
        row = re.search(rf"^\| `{name}` \| (.+?) \|", doc, re.M)
        assert row, f"setting {name} is not in the settings table"
        if isinstance(default, (int, float)) and not isinstance(default, bool):
            assert str(default) in row.group(1).replace(",", "") or f"{default:g}" in row.group(1), name


def test_every_route_is_documented(app, doc):
    rules = {re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", r.rule) for r in app.url_map.iter_rules()
             if r.endpoint != "static"}
    for rule in rules:
        assert f"`{rule}`" in doc, f"route {rule} is not documented"


def test_every_serve_option_is_documented(doc):
    for option in serve.params:
        for flag in option.opts:
            if flag.startswith("--") and flag != "--help":
                assert f"`{flag}" in doc, f"chipkg serve {flag} is not documented"


def test_every_format_is_documented(doc):
    for fmt in FORMATS:
        assert f"`{fmt.name}`" in doc and f"`{fmt.media_type}`" in doc, fmt.name
        for alias in fmt.aliases:
            assert f"`{alias}`" in doc, alias


def test_headers_statuses_and_metrics_are_documented(doc):
    for header in ("Chipkg-Truncated", "Chipkg-Row-Limit", "Chipkg-Rewrites", "Retry-After"):
        assert header in doc
    for status in (400, 403, 404, 405, 406, 413, 414, 415, 500, 502, 503):
        assert f"| {status} |" in doc, status
    for name in COUNTERS:
        assert f"chipkg_{name}" in doc, name
