"""The query page at /: a plain form, links to what the endpoint offers, nothing external."""

import re


def test_query_page_posts_to_the_endpoint_and_links_everything(client):
    response = client.get("/")
    page = response.data.decode()
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert '<form method="post" action="/sparql">' in page and '<textarea name="query"' in page
    for link in ("/queries", "/sparql?format=turtle", "/void", "/-/health", "/-/version", "/-/metrics"):
        assert f'href="{link}"' in page, link
    assert 'href="/queries/claims-about"' in page


def test_no_external_resources(client):
    for path in ("/", "/queries", "/queries/chip-milestones",
                 "/sparql?query=ASK%7B%7D&format=html"):
        page = client.get(path).data.decode()
        assert not re.search(r'(src|href)="(https?:)?//', page), path
        # Data blocks (the schema.org Dataset in JSON-LD) are not scripts a browser runs.
        assert not re.search(r'<script(?! type="application/ld\+json">)', page), path


def test_the_example_query_of_the_page_runs(client):
    page = client.get("/").data.decode()
    query = re.search(r'<textarea name="query"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    query = query.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"').replace("&amp;", "&")
    response = client.post("/sparql", data={"query": query, "format": "html"})
    assert response.status_code == 200 and response.data.count(b"<tr>") > 1


def test_data_iris_in_results_link_to_their_page_and_show_labels(client):
    response = client.get("/sparql", query_string={
        "query": "SELECT ?d ?t WHERE { ?d a ?t ; <https://w3id.org/chipkg/ontology#party> "
                 "<https://w3id.org/chipkg/id/samsung> }", "format": "html"})
    page = response.data.decode()
    assert '<table class="results">' in page
    label = "Anthropic–Samsung chip foundry order / manufacturing collaboration (unsupported)"
    assert f'<a href="/id/deal-anthropic-samsung-foundry">{label}</a>' in page
    assert client.get("/id/deal-anthropic-samsung-foundry").status_code == 200


def test_other_iris_in_results_link_to_a_describe(client):
    response = client.get("/sparql", query_string={
        "query": "SELECT ?t WHERE { ?d a ?t . ?d a <https://w3id.org/chipkg/ontology#Deal> } LIMIT 1",
        "format": "html"})
    link = re.search(r'<a href="(/sparql\?query=DESCRIBE[^"]+)">', response.data.decode()).group(1)
    described = client.get(link.replace("&amp;", "&"))
    assert described.status_code == 200 and described.mimetype == "text/html"
    assert b"ck:Deal" in described.data
