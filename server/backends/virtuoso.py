"""The Virtuoso adapter: where Virtuoso Open Source 7 deviates from the protocols, and the
one workaround for each (each tested in tests/server/test_backends.py).

Measured on Debian's virtuoso-opensource 7.2.5 through its /sparql endpoint:

1. POST with `application/sparql-query` may hang (openlink/virtuoso-opensource
   #842): every store gets form-encoded POSTs (`RemoteStore._request`), which
   Virtuoso reads correctly at any length.
2. Content negotiation (#1321, #464: ASK answered as text/html): chipkg asks for
   SPARQL XML results (Virtuoso's most faithful writer) and N-Triples, reads the
   media type Virtuoso actually sends, and writes every client-facing format
   itself, so a client never sees Virtuoso's choice.
3. Blank nodes in SELECT answers are written `<bnode>nodeID://b10001</bnode>`,
   which is not a blank node label; the XML is read through `_BlankNodes`, which
   drops the `nodeID://` (an exact byte sequence that cannot occur escaped inside
   a literal, where `<` is `&lt;`).
4. Without a dataset in the request, the default graph is every graph Virtuoso
   holds, its system graphs included: `RemoteStore` always sends the dataset
   (`default-graph-uri`/`named-graph-uri`) from the push record, which Virtuoso
   honours.
5. A query calling SERVICE needs privileges the anonymous SPARQL user lacks
   (SQ070 SECURITY); the 500 is reported as a failed SERVICE call (502).
6. Virtuoso's own result cap (ResultSetMaxRows, 10000 in Debian's ini) cuts
   answers silently: it must be set above MAX_RESULT_ROWS (docs/endpoint.md), or
   a cut would pass as complete.
7. Virtuoso keeps computing a query whose client has gone, and a query stopped
   by its own limit ("anytime" queries, #1034) is answered 200 with whatever it
   had, flagged only by an `X-SQL-State` header: chipkg sends `timeout` (ms) =
   its own limit plus a second, so Virtuoso stops soon after chipkg has answered
   503, and any answer carrying `X-SQL-State` is refused as a time-out (503),
   never served as complete.
8. The Graph Store endpoints that write (`/sparql-graph-crud-auth`) take Digest
   credentials only, and refuse a Digest answer after an unasked-for Basic
   header: `http.request` answers the store's challenge in its scheme.
9. Every default graph of a request comes back as an `X-SPARQL-default-graph`
   header line: with more than 100 source graphs, Python's http.client refused
   the answer ("got more than 100 headers"); `http.STORE_MAX_HEADERS` lifts that.
10. A write to an `-auth` endpoint without credentials is answered 401 and the
    connection closed while a large body (past about 2 MB) is still being sent:
    the client sees "Connection reset by peer". `http.request` asks for the
    challenge with a bodiless HEAD first when the body is large.
"""

import urllib.parse

import pyoxigraph as ox

from ..errors import SparqlError, store_failed
from . import http
from .remote import RemoteStore


def is_virtuoso(url: str, credentials, timeout: float) -> bool:
    """True if the server answering `url` says it is Virtuoso (its Server header)."""
    reply = http.request("GET", url, timeout=min(timeout, 10.0), credentials=credentials)
    reply.body.close()
    return (reply.headers.get("Server") or "").lower().startswith("virtuoso")


class _BlankNodes(http.Readable):
    """A binary file over `body` with `<bnode>nodeID://` read as `<bnode>` (deviation 3)."""

    MARK, PLAIN = b"<bnode>nodeID://", b"<bnode>"

    def __init__(self, body):
        self.body = body
        self.held = b""

    def read(self, size: int = -1) -> bytes:
        chunk = self.body.read(size if size and size > 0 else 65536)
        data = (self.held + chunk).replace(self.MARK, self.PLAIN)
        if not chunk:
            self.held = b""
            return data
        keep = len(self.MARK) - 1           # a mark may be split across two chunks
        self.held, data = data[-keep:], data[:-keep]
        return data if data or not chunk else self.read(size)

    def close(self) -> None:
        self.body.close()


class VirtuosoStore(RemoteStore):
    kind = "virtuoso"
    results_media = ("application/sparql-results+xml", ox.QueryResultsFormat.XML)

    def _request(self, text: str, form: str, defaults, named):
        url, body, headers = super()._request(text, form, defaults, named)
        body += b"&" + urllib.parse.urlencode({"timeout": int(self.timeout * 1000)}).encode()
        return url, body, headers

    def _check(self, reply: http.Reply) -> None:
        state = reply.headers.get("X-SQL-State")
        if state:
            reply.body.close()
            raise SparqlError(503, f"the store stopped the query at its time limit ({self.timeout:g} s) "
                              f"and offered a partial answer (X-SQL-State {state}), which is not served",
                              {"Retry-After": "1"})

    def _readable(self, body, media: str):
        return _BlankNodes(body) if "xml" in media else body

    def _failure(self, reply: http.Reply, text: str) -> SparqlError:
        error = super()._failure(reply, text)
        if error.status == 502 and "SERVICE" in text.upper() and "SQ070" in error.message:
            return store_failed("a SERVICE call failed in the store: Virtuoso's anonymous SPARQL user "
                                f"may not call SERVICE ({error.message})")
        return error
