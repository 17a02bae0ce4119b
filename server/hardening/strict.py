"""Percent-encoded parameters decoded strictly as UTF-8, for every route.

Werkzeug decodes the query string and form bodies with ``errors="replace"``: a
client that sends ``query=%E9`` (Latin-1) would have its query silently changed
into one with U+FFFD in it and get an answer to a question it did not ask. Before
any route runs, the raw query string, and a form body, are decoded here with
``errors="strict"``; a byte sequence that is not UTF-8 is refused with 400 naming
the parameter and the offending bytes. When this passes, werkzeug's lenient
decoding gives exactly the strict result, so routes keep using `request.args`.
"""

from urllib.parse import unquote_to_bytes

from flask import Blueprint, current_app, request

from ..errors import bad_request
from ..protocol.request import FORM

blueprint = Blueprint("strict", __name__)


def check_encoded(raw: bytes, where: str) -> None:
    """Raise 400 if any name or value of the ``a=b&c=d`` text `raw` is not UTF-8 once decoded."""
    for part in raw.split(b"&"):
        if not part:
            continue
        for piece in part.split(b"=", 1):
            data = unquote_to_bytes(piece.replace(b"+", b" "))
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as error:
                name = part.split(b"=", 1)[0][:40].decode("ascii", "backslashreplace")
                bad = data[error.start:error.end].hex(" ")
                raise bad_request(f"parameter {name!r} in the {where} is not valid UTF-8 once "
                                  f"percent-decoded (bytes {bad}); encode it as UTF-8") from None


@blueprint.before_app_request
def _strict_parameters():
    check_encoded(request.query_string, "URL")
    if request.method == "POST" and (request.mimetype or "").lower() == FORM:
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise bad_request(f"the form body is declared as charset {charset}; "
                              "only UTF-8 is accepted")
        length = request.content_length
        if length is not None and length > current_app.config["MAX_REQUEST_BYTES"]:
            return None     # the route answers 413 with the limit
        check_encoded(request.get_data(cache=True), "form body")
    return None
