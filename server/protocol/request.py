"""The SPARQL 1.1 Protocol, query operation: a request parsed into one `QueryRequest`.

Three ways to send a query (https://www.w3.org/TR/sparql11-protocol/#query-operation):

* ``GET /sparql?query=...``
* ``POST`` with ``Content-Type: application/x-www-form-urlencoded`` and ``query=`` in the body
* ``POST`` with ``Content-Type: application/sparql-query`` and the query as the body

``default-graph-uri`` and ``named-graph-uri`` may be repeated. Exactly one query:
two are refused, and so is a parameter given both in the URL and in a form body.
Updates (``update=``, ``application/sparql-update``) are refused: the endpoint is
read-only. ``format=`` is kept for output selection (see `outputs`).
"""

from dataclasses import dataclass

from flask import Request

from ..errors import (bad_request, payload_too_large, read_only, unsupported_media_type,
                     uri_too_long)

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
ACCEPTED_BODIES = [SPARQL_QUERY, FORM]


@dataclass(frozen=True)
class QueryRequest:
    query: str | None
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()      # values of format=, in order

    @property
    def names_dataset(self) -> bool:
        return bool(self.default_graph_uris or self.named_graph_uris)

    @property
    def is_bare(self) -> bool:
        """No query and no dataset: a request for the service description."""
        return self.query is None and not self.names_dataset


def parse_request(request: Request, max_bytes: int) -> QueryRequest:
    """Read the query, dataset and format= of a GET or POST; raise SparqlError when malformed."""
    if len(request.query_string) > max_bytes:
        raise uri_too_long(max_bytes)
    url = request.args
    if "update" in url:
        raise read_only()
    if request.method != "POST":
        return _build(_one_query(url.getlist("query")), url, url)
    if request.content_length is not None and request.content_length > max_bytes:
        raise payload_too_large(max_bytes)
    media_type = (request.mimetype or "").lower()
    if media_type == SPARQL_UPDATE:
        raise read_only()
    if media_type == SPARQL_QUERY:
        if "query" in url:
            raise bad_request("two queries: one in the URL and one in the body; send exactly one")
        return _build(_body_text(request), url, url)
    if media_type == FORM:
        form = request.form
        if "update" in form:
            raise read_only()
        both = sorted(set(form) & set(url))
        if both:
            raise bad_request(f"parameter {', '.join(both)} given both in the URL and in the body; "
                              "give each in one place")
        source = form if "query" in form else url
        return _build(_one_query(source.getlist("query")), form, url)
    raise unsupported_media_type(request.mimetype, ACCEPTED_BODIES)


def _build(query: str | None, first, second) -> QueryRequest:
    def values(name: str) -> tuple[str, ...]:
        return tuple(first.getlist(name)) + (tuple(second.getlist(name)) if second is not first else ())

    for name in ("default-graph-uri", "named-graph-uri"):
        for value in values(name):
            if not value or any(c.isspace() or c in '<>"{}|^`\\' for c in value):
                raise bad_request(f"{name} must be an absolute IRI, got {value!r}")
    return QueryRequest(query, values("default-graph-uri"), values("named-graph-uri"),
                        values("format"))


def _one_query(given: list[str]) -> str | None:
    if len(given) > 1:
        raise bad_request(f"{len(given)} queries given; send exactly one query parameter")
    if given and not given[0].strip():
        raise bad_request("the query parameter is empty")
    return given[0] if given else None


def _body_text(request: Request) -> str:
    """The body as UTF-8, strictly: the protocol allows no other encoding (a UTF-16 body is
    refused, as the W3C protocol tests require, even when its charset is declared)."""
    charset = request.mimetype_params.get("charset", "utf-8")
    if charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise bad_request(f"the query body is declared as charset {charset}; the SPARQL protocol "
                          "accepts UTF-8 only: send it as UTF-8 (charset=utf-8 or no charset)")
    text = strict_utf8(request.get_data(cache=False), "the query body")
    if not text.strip():
        raise bad_request("the query body is empty")
    return text


def strict_utf8(data: bytes, what: str) -> str:
    """`data` decoded as UTF-8, or 400 naming the first bad byte; NUL is refused too (a UTF-16
    text decodes as "UTF-8" with a NUL after every ASCII letter, and no query contains NUL)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise bad_request(f"{what} is not valid UTF-8 (byte 0x{data[error.start]:02x} at offset "
                          f"{error.start}); the SPARQL protocol accepts UTF-8 only") from None
    if "\x00" in text:
        raise bad_request(f"{what} contains a NUL character (offset {text.index(chr(0))}): it is "
                          "probably UTF-16; the SPARQL protocol accepts UTF-8 only")
    return text
