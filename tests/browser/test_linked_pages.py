"""The linked-data pages in a real browser (Debian's chromium through Playwright).

Uses the fixtures of tests/browser/conftest.py (contract 6): `base_url`, `page`,
`screenshot`. A reader starts at the home page, follows the network picture to
Samsung, and finds the unsupported manufacturing claim with its exact words.
"""

import re

UNSUPPORTED_QUOTE = ("Claims that Anthropic has contacted Samsung regarding manufacturing collaboration "
                     "are not well supported by publicly verifiable information.")


def test_from_the_network_picture_to_samsungs_unsupported_claim(base_url, page, screenshot):
    page.goto(base_url + "/")
    network = page.locator("figure#deal-network svg")
    assert network.is_visible()
    screenshot("linked-home")
    page.locator('figure#deal-network svg a[*|href="/id/samsung"]').first.click()
    page.wait_for_url(re.compile(r"/id/samsung$"))
    assert page.locator("h1").inner_text() == "Samsung"
    levels = page.locator("section.evidence-level").evaluate_all("els => els.map(e => e.dataset.level)")
    assert levels == ["REP", "SPEC", "UNSUP"]
    unsupported = page.locator('section.evidence-level[data-level="UNSUP"]')
    claim = unsupported.locator("article.claim", has_text="contacted Samsung")
    exact = claim.locator("blockquote.quote mark.exact")
    assert exact.inner_text().strip() == UNSUPPORTED_QUOTE
    assert claim.locator("blockquote.quote span.prefix").inner_text().strip()
    assert claim.locator("blockquote.quote span.suffix").inner_text().strip()
    claim.scroll_into_view_if_needed()
    screenshot("linked-samsung")


def test_claims_browser_filters_by_level_without_javascript(base_url, page, screenshot):
    page.goto(base_url + "/claims")
    page.select_option("select[name=org]", "samsung")
    page.select_option("select[name=level]", "UNSUP")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"/claims\?.*org=samsung"))
    rows = page.locator("table.claims-table tbody tr")
    assert rows.count() == 3
    assert set(rows.evaluate_all("els => els.map(e => e.dataset.level)")) == {"UNSUP"}
    screenshot("linked-claims-unsupported")


def test_keyboard_reaches_the_content_first(base_url, page):
    page.goto(base_url + "/id/samsung")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
