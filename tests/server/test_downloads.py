"""/downloads: listing, media types, ETag/Last-Modified, 304, Range, streaming, 404s."""

import hashlib
import json

import pytest

from chipkg.export.files import BY_FILE_NAME, DUMPS
from chipkg.formats import BY_NAME
from chipkg.export import export_dataset
from chipkg.rdfio import read_quads
from chipkg.server import create_app

# Embedded store only: the export is made from the files the server loaded; a server over an external store serves EXPORT_DIR instead (and 404 without it: test_backends.py).
pytestmark = pytest.mark.parametrize("shipped", ["embedded"], indirect=True)


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("export-cache")


@pytest.fixture(scope="module")
def settings(cache) -> dict:
    return {"EXPORT_CACHE_DIR": str(cache)}


def fetch(client, path, **headers):
    """(status, headers, body) of a GET, the response closed (it holds an open file)."""
    response = client.get(path, headers=headers)
    try:
        return response.status_code, response.headers, response.get_data()
    finally:
        response.close()


@pytest.fixture(scope="module")
def listing(app):
    response = app.test_client().get("/downloads", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_listing_names_every_file_with_size_and_sha256(listing, client):
    names = {f["name"] for f in listing["files"]}
    assert {d.name for d in DUMPS} <= names and "context.jsonld" in names
    html = client.get("/downloads", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.mimetype == "text/html"
    page = html.get_data(as_text=True)
    for f in listing["files"]:
        assert f["sha256"] in page
    assert 'data-format="nquads"' in page


def test_each_file_is_served_with_its_type_length_etag_and_date(listing, client):
    for f in listing["files"]:
        status, headers, body = fetch(client, f"/downloads/{f['name']}")
        assert status == 200, f["name"]
        assert headers["Content-Type"] == BY_FILE_NAME[f["name"]].content_type
        assert int(headers["Content-Length"]) == len(body) == f["bytes"]
        assert headers["ETag"] == f'"{f["sha256"]}"' == f'"{hashlib.sha256(body).hexdigest()}"'
        assert headers["Last-Modified"]
    assert fetch(client, "/downloads/chipkg.nq")[1]["Content-Type"] == BY_NAME["nquads"].content_type
    assert fetch(client, "/downloads/chipkg.ttl")[1]["Content-Type"] == "text/turtle; charset=utf-8"


def test_conditional_get_and_ranges(listing, client):
    entry = next(f for f in listing["files"] if f["name"] == "chipkg.ttl")
    _, headers, body = fetch(client, "/downloads/chipkg.ttl")
    status, _, again = fetch(client, "/downloads/chipkg.ttl", **{"If-None-Match": headers["ETag"]})
    assert status == 304 and not again
    assert fetch(client, "/downloads/chipkg.ttl", **{"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    status, part_headers, part = fetch(client, "/downloads/chipkg.ttl", Range="bytes=10-29")
    assert status == 206 and part == body[10:30]
    assert part_headers["Content-Range"] == f"bytes 10-29/{entry['bytes']}"
    assert fetch(client, "/downloads/chipkg.ttl", Range=f"bytes={entry['bytes'] + 5}-")[0] == 416


def test_files_are_streamed_from_disk_not_held_in_memory(client):
    response = client.get("/downloads/chipkg.nq", buffered=False)
    try:
        assert response.status_code == 200 and not isinstance(response.response, (bytes, list, tuple))
    finally:
        response.close()


@pytest.mark.parametrize("path", [
    "/downloads/nothing.ttl", "/downloads/../pyproject.toml", "/downloads/%2e%2e/pyproject.toml",
    "/downloads/..%2fpyproject.toml", "/downloads/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/downloads/.lock",
    "/downloads/manifest.json/../../x", "/downloads/chipkg.nq%00"])
def test_unknown_names_and_traversal_are_404_in_the_one_error_shape(client, path):
    status, _, data = fetch(client, path, Accept="application/json")
    assert status == 404, path
    body = json.loads(data)
    assert body["ok"] is False and body["status"] == 404


def test_the_context_is_served_at_a_stable_url(client):
    status, headers, body = fetch(client, "/downloads/context.jsonld")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    assert {"level", "confidence", "quote"} <= set(json.loads(body)["@context"])


def test_a_restart_reuses_the_cached_export(shipped, cache, listing):
    folders = [p for p in cache.iterdir() if not p.name.startswith(".")]
    assert len(folders) == 1
    before = (folders[0] / "chipkg.nq").stat().st_mtime_ns
    fresh = create_app({"EXPORT_CACHE_DIR": str(cache)}, shipped).test_client()
    assert fetch(fresh, "/downloads/chipkg.nq")[0] == 200
    assert (folders[0] / "chipkg.nq").stat().st_mtime_ns == before


def test_a_configured_export_dir_is_served_as_is(shipped, layout, tmp_path):
    target = tmp_path / "export"
    manifest = export_dataset(read_quads(layout.ontology_files + layout.graph_files), target)
    cache = tmp_path / "cache"
    client = create_app({"EXPORT_DIR": str(target), "EXPORT_CACHE_DIR": str(cache)}, shipped).test_client()
    listed = client.get("/downloads?format=json").get_json()
    assert listed["version"] == manifest["version"] and not cache.exists()


def test_the_home_page_embeds_a_safe_schema_org_dataset(client, listing):
    page = client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    text = page[start:page.index("</script>", start)]
    assert "<" not in text
    described = json.loads(text)
    assert described["@type"] == "Dataset" and described["license"].startswith("https://creativecommons.org/")
    assert {d["contentUrl"].rsplit("/", 1)[1] for d in described["distribution"]} == {d.name for d in DUMPS}
    assert described["version"] == listing["version"]
