"""chipkg's SPARQL endpoint: a Flask app over an in-memory pyoxigraph store.

    from chipkg.server import create_app
    app = create_app({"QUERY_TIMEOUT_SECONDS": 10})    # loads and validates the graph

`chipkg serve` runs it under gunicorn (see `command`). Settings: `config.DEFAULTS`.
"""

import logging

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

from . import description, hardening, ops
from .exports import routes as downloads
from .linked import claims, entity, pictures
from .pages import editor, home, ontology, stored
from .protocol import sparql
from .config import DEFAULTS, merged
from .dataset import Dataset, InvalidData, load_dataset
from .errors import SparqlError, error_response, internal_error, method_not_allowed
from .state import State
from .views import view_headers
from .backends import remote_dataset

__all__ = ["create_app", "load_dataset", "Dataset", "InvalidData", "DEFAULTS", "RETIRE_KEY"]

log = logging.getLogger("chipkg.server")
RETIRE_KEY = "chipkg.retire_worker"     # WSGI environ flag: replace this worker after the answer


def create_app(config: dict | None = None, dataset: Dataset | None = None, *,
               load: bool = True) -> Flask:
    """The endpoint app. Serves `dataset`, or the configured files loaded (and validated)
    now, or the external store at BACKEND_URL; with `load=False` and no dataset it starts not ready (attach one later with
    `app.extensions["chipkg"].attach(dataset)`). Raises InvalidData on invalid data."""
    settings = merged(config)
    app = Flask(__name__)
    app.config.update(settings)
    app.config["MAX_CONTENT_LENGTH"] = settings["MAX_REQUEST_BYTES"]
    state = State(settings)
    app.extensions["chipkg"] = state
    if dataset is None and load:
        dataset = remote_dataset(settings) if settings["BACKEND_URL"] else load_dataset(settings)
    if dataset is not None:
        state.attach(dataset)
    for module in (sparql, description, stored, ops, home, editor, ontology, entity, pictures, claims,
                   downloads):
        app.register_blueprint(module.blueprint)
    app.after_request(_name_the_view)
    hardening.init_app(app)
    app.register_error_handler(SparqlError, _sparql_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def _name_the_view(response):
    """A page that answered through an evidence view says so, as /sparql does (its own headers win)."""
    view = g.get("chipkg_view")
    if view is not None:
        for name, value in view_headers(view).items():
            response.headers.setdefault(name, value)
    return response


def _sparql_error(error: SparqlError):
    if error.retire_worker:
        request.environ[RETIRE_KEY] = True
    return error_response(error, request.headers.get("Accept"))


def _http_error(error: HTTPException):
    """Werkzeug's own errors (404 route, 405 method, 413 body) in the one error shape."""
    if error.code == 405:
        allowed = tuple(sorted(getattr(error, "valid_methods", None) or ()))
        converted = method_not_allowed(request.method, allowed)
    else:
        converted = SparqlError(error.code or 500, error.description or error.name)
    return error_response(converted, request.headers.get("Accept"))


def _unexpected_error(error: Exception):
    log.exception("unexpected error answering %s %s", request.method, request.path)
    return error_response(internal_error(), request.headers.get("Accept"))
