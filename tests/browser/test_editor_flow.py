"""The query page and stored queries in a real browser (Chromium), with axe-core checks."""

import csv
import re

from playwright.sync_api import expect

from .accessibility import assert_accessible

COMPANIES = """PREFIX ck: <https://w3id.org/chipkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?org ?name WHERE { ?org a ck:Company ; rdfs:label ?name } ORDER BY ?name"""


def set_query(page, text: str) -> None:
    page.evaluate("text => document.querySelector('.CodeMirror').CodeMirror.setValue(text)", text)


def test_run_an_example_query_and_see_labelled_results(page, base_url, screenshot):
    page.goto(f"{base_url}/query")
    expect(page.locator(".CodeMirror")).to_be_visible()         # the editor replaced the textarea
    assert page.locator(".CodeMirror .cm-keyword").count() > 0  # highlighted (SELECT, PREFIX ...)
    assert_accessible(page)
    screenshot("01-editor")
    page.select_option("#examples", "claims-about-role-below-level")
    expect(page.locator(".CodeMirror")).to_contain_text("VALUES (?role ?below)")
    page.click("#run")
    rows = page.locator("table.results tbody tr")
    expect(rows).to_have_count(11)
    samsung = page.locator("table.results a", has_text=re.compile("^Samsung$")).first
    expect(samsung).to_have_attribute("href", "/id/samsung")
    expect(page.locator("table.results td.literal", has_text=re.compile("^unsupported @en$"))).to_have_count(3)
    expect(page.locator("#status")).to_have_text(re.compile(r"^11 rows in \d+\.\d ms$"))
    expect(page.locator("#truncated")).to_be_hidden()
    for name in ("json", "xml", "csv", "tsv"):
        expect(page.locator(f"#downloads a[data-format={name}]")).to_have_count(1)
    share = page.locator("#share").get_attribute("href")
    assert share.startswith(f"{base_url}/query?query=")
    assert_accessible(page)
    screenshot("02-editor-example-results")
    page.goto(share)                    # the share link reproduces the query, server-side
    expect(page.locator("table.results tbody tr")).to_have_count(11)


def test_the_editor_is_keyboard_accessible_and_runs_under_a_strict_csp(page, base_url):
    policy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; object-src 'none'"

    def with_policy(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})
    page.route("**/query*", with_policy)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy"
            in message.text else None)
    page.goto(f"{base_url}/query")
    expect(page.locator(".CodeMirror")).to_be_visible()
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+Enter")                    # run from the keyboard
    expect(page.locator("table.results tbody tr")).to_have_count(4)
    page.locator(".CodeMirror").click()
    page.keyboard.press("Tab")                              # Tab leaves the editor: no keyboard trap
    assert page.evaluate("() => document.activeElement.id") == "format"
    assert refused == []


def test_completion_offers_this_endpoints_terms_with_labels(page, base_url, screenshot):
    page.goto(f"{base_url}/query")
    set_query(page, "SELECT * WHERE { ?c a ck:Cla")
    page.evaluate("""() => { const cm = document.querySelector('.CodeMirror').CodeMirror;
                            cm.focus(); cm.setCursor(cm.lineCount(), 0); }""")
    page.wait_for_function("() => document.querySelector('.CodeMirror') !== null")
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints li")
    expect(hints.first).to_contain_text("ck:Claim")
    expect(hints.first).to_contain_text("claim (class)")
    screenshot("03-editor-completion")
    page.keyboard.press("Enter")
    text = page.evaluate("() => document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert text.startswith("PREFIX ck: <https://w3id.org/chipkg/ontology#>\n")   # the prefix is added
    assert text.endswith("?c a ck:Claim")


def test_a_syntax_error_is_shown_with_its_line_marked(page, base_url, screenshot):
    page.goto(f"{base_url}/query")
    set_query(page, "SELECT *\nWHERE {\n  ?s ?p\n}")
    page.click("#run")
    expect(page.locator("#error")).to_be_visible()
    expect(page.locator("#error")).to_contain_text(re.compile(r"SPARQL syntax error at 4:\d+"))
    expect(page.locator(".CodeMirror .cm-error-line")).to_have_count(1)
    expect(page.locator(".CodeMirror .cm-error-line")).to_contain_text("}")
    screenshot("04-editor-syntax-error")


def test_download_csv_of_the_results(page, base_url, screenshot):
    page.goto(f"{base_url}/query")
    set_query(page, COMPANIES)
    page.click("#run")
    expect(page.locator("table.results tbody tr")).to_have_count(14)
    with page.expect_download() as download:
        page.click("#downloads a[data-format=csv]")
    assert download.value.suggested_filename == "chipkg-results.csv"
    path = download.value.path()
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["org", "name"]
    assert ["https://w3id.org/chipkg/id/samsung", "Samsung"] in rows and len(rows) == 15
    screenshot("05-editor-csv-download")


def test_a_cut_answer_says_so(page, base_url, screenshot):
    page.goto(f"{base_url}/query")
    set_query(page, "PREFIX ck: <https://w3id.org/chipkg/ontology#>\n"
                    "SELECT ?s ?org WHERE { ?s ?p ?o . ?org a ck:Company } LIMIT 10001")
    page.click("#run")
    expect(page.locator("#truncated")).to_be_visible(timeout=30_000)
    expect(page.locator("#status")).to_have_text(re.compile(r"^10000 rows in \d+\.\d ms \(cut\)$"))
    expect(page.locator("table.results tbody tr")).to_have_count(10000)
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot("13-editor-truncated", full_page=False)


def test_a_dataset_view_in_the_page_url_goes_with_every_run_and_link(page, base_url):
    requests = []
    page.on("request", lambda request: requests.append(request.url) if "/sparql" in request.url else None)
    page.goto(f"{base_url}/query?min-evidence=REP")
    page.click("#run")
    # the default query lists the deals: the unsupported one is below the floor
    expect(page.locator("table.results tbody tr")).to_have_count(3)
    assert any("min-evidence=REP" in url for url in requests), requests
    assert "min-evidence=REP" in page.locator("#share").get_attribute("href")
    assert "min-evidence=REP" in page.locator("#downloads a[data-format=csv]").get_attribute("href")


def test_data_is_shown_as_text_never_as_markup(page, base_url):
    page.goto(f"{base_url}/query")
    set_query(page, 'SELECT ?x WHERE { BIND("<img src=x onerror=window.pwned=1>" AS ?x) }')
    page.click("#run")
    cell = page.locator("table.results td").first
    expect(cell).to_have_text("<img src=x onerror=window.pwned=1>")
    assert page.locator("table.results img").count() == 0
    assert page.evaluate("() => window.pwned") is None


def test_open_a_stored_query_with_a_parameter_and_run_it(page, base_url, screenshot):
    page.goto(f"{base_url}/queries")
    assert_accessible(page)
    page.click("text=Every unconfirmed or unsupported claim about a foundry")
    expect(page).to_have_url(f"{base_url}/queries/claims-about-role-below-level")
    page.select_option("select[name=below]", "REP")
    page.click("button:has-text('Run')")
    expect(page).to_have_url(re.compile(r"below=REP"))
    expect(page.locator("table tr")).to_have_count(1 + 9)     # 3 unsupported + 6 speculative
    expect(page.locator('table a[href*="claim-samsung-secured-anthropic-order"]')).to_have_count(1)
    expect(page.locator('table a[href*="claim-samsung-manufacturing-capabilities"]')).to_have_count(0)
    assert_accessible(page)
    screenshot("06-stored-query-with-parameter")


def test_the_form_works_without_javascript(page, base_url, screenshot):
    context = page.context.browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    try:
        plain.goto(f"{base_url}/query")
        assert plain.locator(".CodeMirror").count() == 0
        plain.fill("#query", COMPANIES)
        plain.click("#run")
        expect(plain).to_have_url(re.compile(r"/query\?"))
        expect(plain.locator("table.results tbody tr")).to_have_count(14)
        expect(plain.locator("table.results a", has_text=re.compile("^Samsung$"))).to_have_attribute(
            "href", "/id/samsung")
        plain.select_option("#examples", "person-moves")
        plain.click("#load")
        expect(plain.locator("#query")).to_have_value(re.compile(r"VALUES \(\?org\)"))
        screenshot("07-no-javascript", of=plain)
    finally:
        context.close()
