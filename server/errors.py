"""HTTP errors of the endpoint: one exception, helpers named after the condition.

Every error reaches the client in one shape (see `error_response`): JSON
`{"ok": false, "status": N, "error": "..."}` when the client prefers JSON,
otherwise plain text `N Reason: message`. No stack trace ever reaches a client.
"""

import json
from http import HTTPStatus

from flask import Response

from .negotiate import negotiate


class SparqlError(Exception):
    """An HTTP error with the status and message the client sees.

    `retire_worker` marks an error after which the worker process should be
    replaced (a timed-out query may still be computing in it).
    """

    def __init__(self, status: int, message: str, headers: dict | None = None,
                 retire_worker: bool = False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.retire_worker = retire_worker

    def __reduce__(self):       # pickled whole (from a query process, protocol/isolation.py)
        return (SparqlError, (self.status, self.message, self.headers, self.retire_worker))


def bad_request(message: str) -> SparqlError:
    return SparqlError(400, message)


def forbidden(message: str) -> SparqlError:
    return SparqlError(403, message)


def read_only() -> SparqlError:
    return SparqlError(403, "this endpoint is read-only: SPARQL Update is not accepted here, and there "
                       "is no update endpoint (the data changes through git and `chipkg validate`)")


def not_found(message: str) -> SparqlError:
    return SparqlError(404, message)


def method_not_allowed(method: str, allowed: tuple[str, ...]) -> SparqlError:
    return SparqlError(405, f"method {method} is not allowed here; use " + ", ".join(allowed),
                       {"Allow": ", ".join(allowed)})


def not_acceptable(offered: list[str]) -> SparqlError:
    return SparqlError(406, "none of the accepted media types can be produced; offered: "
                       + ", ".join(offered))


def payload_too_large(limit: int) -> SparqlError:
    return SparqlError(413, f"request body larger than the limit of {limit} bytes; "
                       "send a shorter query")


def uri_too_long(limit: int) -> SparqlError:
    return SparqlError(414, f"query string longer than the limit of {limit} bytes")


def unsupported_media_type(given: str, supported: list[str]) -> SparqlError:
    return SparqlError(415, f"unsupported request media type {given or '(none)'}; use one of "
                       + ", ".join(supported))


def too_many_requests(message: str, retry_after: int) -> SparqlError:
    return SparqlError(429, f"{message}; retry after {retry_after} s",
                       {"Retry-After": str(retry_after)})


def internal_error() -> SparqlError:
    return SparqlError(500, "internal error; the server log has the details")


def query_timeout(seconds: float, retry_after: int, *, retire: bool = True) -> SparqlError:
    """`retire`: the query may still be computing in this process (it ran in a thread)."""
    return SparqlError(503, f"query stopped after the time limit of {seconds:g} s; "
                       "narrow it (LIMIT, more specific patterns) and try again",
                       {"Retry-After": str(retry_after)}, retire_worker=retire)


def server_busy(retry_after: int) -> SparqlError:
    return SparqlError(503, "too many queries are running; retry shortly",
                       {"Retry-After": str(retry_after)})


def worker_retiring(retry_after: int) -> SparqlError:
    return SparqlError(503, "this worker is being replaced after a runaway query; retry shortly",
                       {"Retry-After": str(retry_after)})


def not_ready() -> SparqlError:
    return SparqlError(503, "the graph is still being loaded and validated", {"Retry-After": "5"})


# an external store (server/backends): it cannot be reached (503, worth a retry) or it
# answered with an error or an answer that cannot be read (502)
class StoreUnreachable(SparqlError):
    def __init__(self, message: str, retry_after: int = 5):
        super().__init__(503, message, {"Retry-After": str(retry_after)})


def store_failed(message: str) -> SparqlError:
    return SparqlError(502, message)


_SHAPES = ["text/plain", "application/json"]


def error_response(error: SparqlError, accept: str | None) -> Response:
    """The one shape of every error: JSON if the client prefers it, else one line of text."""
    reason = HTTPStatus(error.status).phrase
    if negotiate(accept, _SHAPES) == "application/json":
        body = json.dumps({"ok": False, "status": error.status, "error": error.message})
        response = Response(body + "\n", error.status, mimetype="application/json")
    else:
        response = Response(f"{error.status} {reason}: {error.message}\n", error.status,
                            content_type="text/plain; charset=utf-8")
    response.headers.extend(error.headers)
    response.vary.add("Accept")
    return response


def export_unavailable(message: str) -> SparqlError:
    return SparqlError(503, f"no export to serve: {message}")
