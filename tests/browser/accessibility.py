"""An axe-core check inside the browser tests: no serious or critical violation on a page.

axe-core is vendored (tests/browser/vendor/axe-core/, MPL-2.0) and injected into
the page under test, so the check runs offline in the same Chromium session.
"""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def violations(page, impacts=BLOCKING) -> list[dict]:
    """axe's violations of the page at the given impacts, as {id, impact, help, targets}."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            targets: v.nodes.map(n => n.target.join(" "))}));
    }""")
    return [v for v in found if v["impact"] in impacts]


def assert_accessible(page) -> None:
    found = violations(page)
    assert not found, "accessibility violations (axe-core): " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['targets'][:3])}" for v in found)
