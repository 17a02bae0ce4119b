"""Operations: /-/health, /-/version, /-/metrics; the request log; CORS headers.

The request log is one line per request on the `chipkg.server.requests` logger:
client, method, path, status, duration in ms, response bytes, and the
truncation flag of query answers.
"""

import logging
import os
import platform
import time
from importlib.metadata import PackageNotFoundError, version as package_version

from flask import Blueprint, Response, current_app, g, jsonify, request

from chipkg import __version__

blueprint = Blueprint("ops", __name__)
log = logging.getLogger("chipkg.server.requests")
EXPOSED = "Chipkg-Truncated, Chipkg-Row-Limit, Chipkg-Rewrites, Retry-After"


@blueprint.get("/-/health")
def health():
    """200 once the graph is loaded and validated and, over an external store, while that
    store answers; 503 (not ready, or the store unreachable) otherwise, in the error shape."""
    dataset = current_app.extensions["chipkg"].ready().dataset
    alive = getattr(dataset.store, "alive", None)       # external stores only (server/backends)
    if alive is not None:
        alive()
    return jsonify({"status": "ready", "triples": dataset.triples, "named_graphs": len(dataset.graphs),
                    "loaded_at": dataset.loaded_at, "pid": os.getpid()})


def _version(name: str) -> str | None:
    try:
        return package_version(name)
    except PackageNotFoundError:
        return None


@blueprint.get("/-/version")
def version():
    return jsonify({"chipkg": __version__, "python": platform.python_version(),
                    **{name: _version(name) for name in ("pyoxigraph", "flask", "gunicorn", "rdflib")}})


@blueprint.get("/-/metrics")
def metrics():
    body = current_app.extensions["chipkg"].metrics.render()
    return Response(body, content_type="text/plain; version=0.0.4; charset=utf-8")


@blueprint.before_app_request
def _start_clock():
    g.began = time.perf_counter()


@blueprint.after_app_request
def _finish(response: Response) -> Response:
    config = current_app.config
    origin = config["CORS_ALLOW_ORIGIN"]
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = EXPOSED
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            response.headers["Access-Control-Max-Age"] = "86400"
    current_app.extensions["chipkg"].metrics.count_request(response.status_code)
    if config["LOG_REQUESTS"]:
        began = g.get("began")
        millis = (time.perf_counter() - began) * 1000 if began is not None else 0.0
        truncated = response.headers.get("Chipkg-Truncated")
        log.info('%s "%s %s" %d %.1fms %sB%s', request.remote_addr, request.method, request.path,
                 response.status_code, millis, response.calculate_content_length() or "-",
                 " truncated" if truncated == "true" else "")
    return response
