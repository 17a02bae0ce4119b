"""Entity pages: labels, facts, every claim grouped by evidence level with its words and grade."""

import json
import re

from endpoint_helpers import backends_except
from linked_helpers import articles, plain, sections

UNSUPPORTED_QUOTE = ("Claims that Anthropic has contacted Samsung regarding manufacturing collaboration "
                     "are not well supported by publicly verifiable information.")


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/html", path
    return response.data.decode()


def test_samsung_shows_its_unsupported_manufacturing_claim_in_the_unsupported_section(client):
    html = page(client, "/id/samsung")
    assert re.search(r"<h1[^>]*>Samsung</h1>", html)
    found = sections(html)
    assert [level for level, _ in found] == ["REP", "SPEC", "UNSUP"]       # most certain first
    unsupported = dict(found)["UNSUP"]
    assert "not</strong> support these" in unsupported                     # marked, not hidden
    claim = next(a for a in articles(unsupported) if "contacted Samsung" in a)
    exact = re.search(r'<mark class="exact">(.*?)</mark>', claim, re.S).group(1)
    assert plain(exact) == UNSUPPORTED_QUOTE
    assert '<em class="hedge" title="hedge cue">not well supported</em>' in exact
    prefix = plain(re.search(r'<span class="prefix">(.*?)</span>', claim, re.S).group(1))
    suffix = plain(re.search(r'<span class="suffix">(.*?)</span>', claim, re.S).group(1))
    assert prefix.endswith("ed a chip order from Anthropic.") and suffix.startswith("A safer assessment")
    text = plain(claim)
    assert "confidence 0.15 (very unlikely)" in text
    assert "source reliability F: reliability cannot be judged" in text
    assert "Characters 5812–5952 of the source text." in text
    # the same claim is nowhere else on the page
    assert sum("contacted Samsung regarding" in a for a in articles(html)) == 1


def test_claims_are_ordered_by_confidence_within_a_level_and_every_claim_is_there(client):
    html = page(client, "/id/samsung")
    speculative = dict(sections(html))["SPEC"]
    values = [float(v) for v in re.findall(r"confidence <strong>([\d.]+)</strong>", speculative)]
    assert values == sorted(values, reverse=True) and len(values) == 6
    assert len(articles(html)) == 11
    data = json.loads(client.get("/id/samsung?format=json").data)
    assert [(lv["notation"], len(lv["claims"])) for lv in data["levels"]] == [("REP", 2), ("SPEC", 6), ("UNSUP", 3)]
    assert data["label"] == "Samsung" and data["is_organization"]


@backends_except("virtuoso", reason="Virtuoso returns xsd:duration P10Y as the number 120 (months)")
def test_organization_page_lists_its_deals_with_real_precision_dates_and_amounts(client):
    html = page(client, "/id/anthropic")
    table = re.search(r'<table class="deals">.*?</table>', html, re.S).group(0)
    rows = {plain(re.search(r"<td>(.*?)</td>", r, re.S).group(1)): plain(r)
            for r in re.findall(r'<tr class="deal".*?</tr>', table, re.S)}
    amazon = rows["Anthropic–Amazon partnership expansion (April 2026)"]
    assert "April 2026 by Anthropic" in amazon and "2026-04-01" not in amazon
    assert "at least 100,000,000,000 USD" in amazon and "up to 5 GW" in amazon and "10 years" in amazon
    assert "Amazon, Anthropic, AWS" in amazon               # the parties, by label
    assert "22 June 2026 by Micron" in rows["Micron–Anthropic strategic agreement (2026-06-22)"]
    samsung = next(v for k, v in rows.items() if "Samsung" in k)
    assert "UNSUP" in samsung and "no date given" in samsung
    network = re.search(r'<figure id="entity-network".*?</figure>', html, re.S).group(0)
    assert "<svg" in network and 'href="/id/samsung"' in network and 'href="/id/micron"' in network


def test_a_year_reads_as_a_year(client):
    html = page(client, "/id/jalapeno-deployment")
    facts = re.search(r'<section class="facts".*?</section>', html, re.S).group(0)
    assert "<dd>2026</dd>" in facts and "2026-01-01" not in facts
    assert "<dd>24 June 2026</dd>" in page(client, "/id/jalapeno")


def test_every_kind_of_entity_has_a_page_with_labels_not_iris(client):
    for path, title in [("/id/jalapeno", "Jalapeño"), ("/id/clive-chan", "Clive Chan"),
                        ("/id/deal-anthropic-samsung-foundry",
                         "Anthropic–Samsung chip foundry order / manufacturing collaboration (unsupported)"),
                        ("/id/claim-anthropic-contacted-samsung",
                         "Anthropic contacted Samsung on manufacturing collaboration (unsupported)"),
                        ("/id/source-blockbeats-anthropic-ai-chips-samsung",
                         "BlockBeats: Anthropic turns to Samsung for AI chips (Gate republication)"),
                        ("/id/quote-anthropic-contacted-samsung", "quote for claim anthropic-contacted-samsung")]:
        html = page(client, path)
        assert re.search(r"<h1[^>]*>(.*?)</h1>", html).group(1) == title.replace("&", "&amp;"), path
        assert f'href="{path}?format=json"' in html and f'href="{path}?format=turtle"' in html
        assert "The SPARQL behind this page" in html and "SELECT" in html
    chip = page(client, "/id/jalapeno")
    assert '<a href="/id/openai">OpenAI</a>' in chip          # labels, linked
    source = page(client, "/id/source-blockbeats-anthropic-ai-chips-samsung")
    assert len(articles(source)) == 55                          # a source shows every claim taken from it


def test_a_claim_page_shows_the_claim_graded_and_a_deal_page_its_claims(client):
    html = page(client, "/id/claim-anthropic-contacted-samsung")
    assert [level for level, _ in sections(html)] == ["UNSUP"] and len(articles(html)) == 1
    deal = page(client, "/id/deal-anthropic-samsung-foundry")
    levels = [level for level, _ in sections(deal)]
    assert levels == sorted(levels, key=["CONF", "REP", "SPEC", "UNSUP", "DEN"].index) and "UNSUP" in levels
    assert 'class="deal" data-level="UNSUP"' in deal


def test_incoming_links_are_listed(client):
    html = page(client, "/id/openai")
    incoming = re.search(r'<section class="incoming".*?</section>', html, re.S).group(0)
    assert 'href="/id/jalapeno"' in incoming


def test_the_page_shows_the_queries_that_ran(client):
    data = json.loads(client.get("/id/samsung?format=json").data)
    names = [r["name"] for r in data["ran"]]
    assert names[:4] == ["facts", "fact-amounts", "claim-list", "incoming"] and "deal-list" in names and "claim-quotes" in names
    samsung = "https://w3id.org/chipkg/id/samsung"
    assert data["ran"][0]["bindings"] == {"e": samsung}
    assert f"VALUES ?e {{ <{samsung}> }}" in data["ran"][0]["sparql"]
    quotes = next(r for r in data["ran"] if r["name"] == "claim-quotes")
    assert len(quotes["bindings"]["claim"]) == 11        # the details of exactly the claims shown
    html = page(client, "/id/samsung")
    assert f"VALUES ?e {{ &lt;{samsung}&gt; }}" in html


def test_long_levels_are_cut_and_say_so(shipped):
    from chipkg.server import create_app
    client = create_app({"ENTITY_MAX_ITEMS": 2}, shipped).test_client()
    html = client.get("/id/samsung").data.decode()
    speculative = dict(sections(html))["SPEC"]
    assert len(articles(speculative)) == 2 and "Showing the 2 most certain of 6" in speculative
    assert 'href="/claims?about=https://w3id.org/chipkg/id/samsung&amp;level=SPEC"' in speculative
    assert len(json.loads(client.get(
        "/claims?format=json&level=SPEC&about=https://w3id.org/chipkg/id/samsung").data)["claims"]) == 6


def test_vocabulary_terms_link_to_their_explanation(client):
    html = page(client, "/id/claim-anthropic-contacted-samsung")
    assert '<a href="/claims?level=UNSUP">unsupported</a>' in html       # an evidence level's page
    assert 'href="/ontology#evidenceLevel">evidence level</a>' in html    # the ontology's documentation
    assert '<a href="/ontology#Foundry">foundry</a>' in page(client, "/id/samsung")


def test_the_home_page_leads_to_every_organization(client):
    html = page(client, "/")
    entry = re.search(r'<nav class="entry".*?</nav>', html, re.S).group(0)
    for local, label in [("samsung", "Samsung"), ("tsmc", "TSMC"), ("sk-hynix", "SK Hynix")]:
        assert f'<a href="/id/{local}">{label}</a>' in entry
    assert 'href="/claims"' in entry and 'href="/query"' in entry and 'href="/queries"' in entry
