"""/downloads: the export's files, listed (HTML or JSON) and served from disk.

Files are served by name from the export's manifest, and only those: anything
else, including `../` and its encoded forms, is 404 in the one error shape.
Werkzeug's conditional responses give Content-Length, ETag (the file's sha256),
Last-Modified, 304 on If-None-Match / If-Modified-Since, and Range (206, or 416
outside the file), reading the file in blocks, never whole.
"""

from flask import Blueprint, current_app, jsonify, render_template, request, send_file, url_for

from chipkg.export.describe import DESCRIPTION, LICENSE, TITLE
from chipkg.export.files import BY_FILE_NAME, DUMPS

from ..errors import not_acceptable, not_found
from ..negotiate import negotiate
from .cache import ExportCache

blueprint = Blueprint("downloads", __name__)
_LISTING = ["text/html", "application/json"]
_KEY = "chipkg.exports"


def exports() -> ExportCache:
    extensions = current_app.extensions
    if _KEY not in extensions:
        extensions[_KEY] = ExportCache(current_app.config)
    return extensions[_KEY]


def _served():
    dataset = current_app.extensions["chipkg"].ready().dataset
    return exports().get(dataset.files)


def _listed(entry: dict) -> dict:
    return {**entry, "url": url_for("downloads.download", name=entry["name"], _external=True),
            "format": BY_FILE_NAME[entry["name"]].format}


@blueprint.get("/downloads")
def index():
    folder, manifest = _served()
    files = [_listed(e) for e in manifest["files"]]
    wanted = request.args.get("format")
    chosen = {"json": "application/json", "html": "text/html"}.get(wanted or "") or negotiate(
        request.headers.get("Accept"), _LISTING)
    if chosen is None:
        raise not_acceptable(_LISTING)
    if chosen == "application/json":
        response = jsonify({"version": manifest["version"], "quads": manifest["quads"], "files": files})
    else:
        response = current_app.make_response(render_template(
            "downloads.html", files=files, version=manifest["version"], quads=manifest["quads"]))
    response.vary.add("Accept")
    return response


@blueprint.get("/downloads/<name>")
def download(name: str):
    folder, manifest = _served()
    entry = next((e for e in manifest["files"] if e["name"] == name), None)
    known = BY_FILE_NAME.get(name)
    if entry is None or known is None:
        raise not_found(f"no download {name!r}; see /downloads")
    path = folder / name
    response = send_file(path, mimetype=known.media_type, conditional=True, etag=entry["sha256"],
                         last_modified=path.stat().st_mtime, max_age=None)
    response.headers["Content-Type"] = known.content_type     # the table's, charset and all
    return response


@blueprint.app_context_processor
def dataset_description() -> dict:
    """The schema.org Dataset of the home page (template dataset-jsonld.html).

    Built from what is known without making an export: the file table always,
    sizes and the version once an export is at hand.
    """
    try:
        root = request.url_root
    except RuntimeError:        # rendering outside a request
        return {}
    ready = exports().peek() if _KEY in current_app.extensions else None
    sizes = {e["name"]: e for e in ready[1]["files"]} if ready else {}
    distribution = []
    for entry in DUMPS:
        item = {"@type": "DataDownload", "name": entry.name, "description": entry.title,
                "encodingFormat": entry.media_type, "contentUrl": f"{root}downloads/{entry.name}"}
        if entry.name in sizes:
            item["contentSize"] = f"{sizes[entry.name]['bytes']} B"
        distribution.append(item)
    described = {"@context": "https://schema.org", "@type": "Dataset", "name": TITLE,
                 "description": DESCRIPTION, "url": root, "license": LICENSE,
                 "isAccessibleForFree": True,
                 "creator": {"@type": "Organization", "name": "chipkg developers"},
                 "distribution": distribution}
    if ready:
        described["version"] = ready[1]["version"]
    return {"dataset_jsonld": described}
