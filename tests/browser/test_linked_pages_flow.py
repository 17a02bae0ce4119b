"""The pages the web-front engineer builds (home, entity pages), reached the way a reader would.

Written against contract 7 of the briefing: `/` has <figure id="deal-network"> with an
inline <svg> whose nodes link to /id/<local>; `/id/<local>` has <h1> = the label and its
claims in <section class="evidence-level" data-level="CONF|REP|SPEC|UNSUP|DEN">, most
certain first, each <article class="claim"> with <blockquote class="quote"> holding
<span class="prefix">, <mark class="exact">, <span class="suffix">. These tests fail until
those pages are merged.
"""

import re

from playwright.sync_api import expect

from .accessibility import assert_accessible
from .test_editor_flow import COMPANIES, set_query

LEVELS = ["CONF", "REP", "SPEC", "UNSUP", "DEN"]


def test_home_page_shows_the_deal_network(page, base_url, screenshot):
    response = page.goto(f"{base_url}/")
    assert response.status == 200
    picture = page.locator("figure#deal-network svg")
    expect(picture).to_be_visible()
    links = picture.locator("a")
    assert links.count() > 0
    targets = {links.nth(i).get_attribute("href") or links.nth(i).get_attribute("xlink:href")
               for i in range(links.count())}
    assert any(re.search(r"/id/samsung$", t or "") for t in targets), targets
    screenshot("10-home-deal-network")       # before the axe check, so a failure still shows the page
    assert_accessible(page)


def test_follow_a_result_to_an_organizations_page(page, base_url, screenshot):
    page.goto(f"{base_url}/query")
    set_query(page, COMPANIES)
    page.click("#run")
    page.locator("table.results a", has_text=re.compile("^Samsung$")).click()
    expect(page).to_have_url(f"{base_url}/id/samsung")
    expect(page.locator("h1")).to_have_text("Samsung")
    screenshot("11-samsung-page")
    assert_accessible(page)


def test_read_a_quote_in_context_on_samsungs_page(page, base_url, screenshot):
    page.goto(f"{base_url}/id/samsung")
    levels = page.locator("section.evidence-level").evaluate_all(
        "sections => sections.map(s => s.dataset.level)")
    assert "UNSUP" in levels                      # the manufacturing claim is shown, marked unsupported
    assert levels == sorted(levels, key=LEVELS.index), "not most certain first"
    unsupported = page.locator('section.evidence-level[data-level="UNSUP"]')
    quote = unsupported.locator("article.claim blockquote.quote").filter(
        has=page.locator("mark.exact", has_text="not well supported by publicly verifiable information"))
    expect(quote).to_have_count(1)
    expect(quote.locator("mark.exact")).to_have_text(
        "Claims that Anthropic has contacted Samsung regarding manufacturing collaboration are not well "
        "supported by publicly verifiable information.")
    assert quote.locator("span.prefix").inner_text().strip()
    assert quote.locator("span.suffix").inner_text().strip()
    screenshot("12-samsung-unsupported-claim", of=quote.locator("xpath=ancestor::article[1]"))
    assert_accessible(page)
