"""Response headers that make the answers safe to show in a browser.

Error answers are plain text that may quote the request (a query, a parameter); with
``X-Content-Type-Options: nosniff`` no browser reads such text as HTML or script, nor a
JSON or CSV answer. The HTML pages are autoescaped Jinja templates; a Content-Security-Policy
is left to the pages' owners (their scripts decide what it must allow).
"""

from flask import Blueprint

blueprint = Blueprint("headers", __name__)


@blueprint.after_app_request
def _safe_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response
