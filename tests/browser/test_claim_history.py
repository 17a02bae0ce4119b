"""A claim three fictional sources disagree on, as a reader sees it in a real browser.

Uses `fictional_url` (tests/browser/conftest.py): the shipped graph plus the compiled
fictional articles. The claim page must say that the sources disagree, list each
source's attestation oldest first with its own level and words, and stay accessible.
"""

import re

from .accessibility import assert_accessible

CLAIM = "/id/claim-orion-zephyr-wafer-agreement"


def test_a_conflicting_claim_shows_who_said_what_and_when(fictional_url, page, screenshot):
    page.goto(fictional_url + "/claims?source=source-bellhaven-orion-denies")
    flag = page.locator("table.claims-table a.conflict-flag").first
    assert flag.inner_text() == "sources disagree"
    flag.click()
    page.wait_for_url(re.compile(re.escape(CLAIM) + "#attestations$"))
    history = page.locator("section#attestations")
    assert history.locator("p.conflict").inner_text().startswith("Sources disagree.")
    items = history.locator("li.attestation")
    assert items.evaluate_all("els => els.map(e => e.dataset.level)") == ["REP", "CONF", "DEN"]
    assert [items.nth(n).locator("span.issued").inner_text() for n in range(3)] == [
        "2 March 2026", "10 April 2026", "20 May 2026"]
    denial = items.nth(2).locator("mark.exact").inner_text()
    assert denial == "Orion Labs denied that it has signed a wafer supply agreement with Zephyr Foundry."
    history.scroll_into_view_if_needed()
    screenshot("14-claim-attestations-conflict", full_page=False)
    assert_accessible(page)
