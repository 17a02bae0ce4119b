"""The ontology documentation in a real browser: hash IRIs land on their entry, axe-clean."""

from playwright.sync_api import expect

from .accessibility import assert_accessible


def test_a_hash_iri_lands_on_its_term(page, base_url, screenshot):
    page.goto(f"{base_url}/ontology#Claim")
    expect(page.locator("h1")).to_have_text("chipkg ontology")
    claim = page.locator("article.term:target")
    expect(claim).to_have_attribute("id", "Claim")
    expect(claim).to_contain_text("One proposition a source makes")
    assert_accessible(page)
    screenshot("08-ontology-claim")
    claim.locator("a", has_text="has quote").first.click()
    expect(page).to_have_url(f"{base_url}/ontology#hasQuote")


def test_the_evidence_scheme_page(page, base_url, screenshot):
    page.goto(f"{base_url}/evidence#Unsupported")
    level = page.locator("article.term:target")
    expect(level).to_contain_text("UNSUP")
    expect(level).to_contain_text("0.05 to 0.45")
    assert_accessible(page)
    screenshot("09-evidence-unsupported")
