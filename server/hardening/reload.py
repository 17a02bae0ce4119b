"""Re-reading the data while serving, without ever serving broken data.

Two triggers: SIGHUP to the gunicorn master (`chipkg serve` hooks gunicorn's reload, see
`command`), and ``POST /-/reload`` with ``Authorization: Bearer <RELOAD_TOKEN>`` (off while
the token is None). Either way the files are read and validated again, as at start-up; if
they load, the new graph is served from then on (under gunicorn: the master loads it and
gunicorn replaces the workers, which fork with it). If a file is broken or the data does not
conform, the old graph stays, complete, and the log says why, naming the file and line.
"""

import hmac
import logging
import os
import signal

from flask import Blueprint, current_app, jsonify, request

from chipkg.errors import UnusableInput

from ..dataset import InvalidData, load_dataset
from ..errors import SparqlError, forbidden, not_found

blueprint = Blueprint("reload", __name__)
log = logging.getLogger("chipkg.server")
MASTER_PID = "_MASTER_PID"      # app.config key set by `chipkg serve`: the gunicorn master


def reload_data(app) -> tuple[bool, str]:
    """Load and validate the configured files again; serve them if they pass. Returns
    (reloaded, what happened); never raises for bad data."""
    from chipkg.validate.reports import render

    state = app.extensions["chipkg"]
    old = state.served.dataset.loaded_at if state.served else "never"
    try:
        dataset = load_dataset(state.config)
    except UnusableInput as error:
        problem = str(error)
    except InvalidData as invalid:
        problem = "the data does not conform:\n" + render(invalid.outcome, "text").rstrip()
    else:
        state.attach(dataset)
        message = (f"reloaded: {dataset.triples} triples in {len(dataset.graphs)} named graphs "
                   f"from {len(dataset.files)} files")
        log.info("%s", message)
        return True, message
    message = f"reload refused, still serving the graph loaded at {old}: {problem}"
    log.error("%s", message)
    return False, message


@blueprint.post("/-/reload")
def reload_route():
    token = current_app.config["RELOAD_TOKEN"]
    if not token:
        raise not_found("reloading over HTTP is off (no RELOAD_TOKEN); send SIGHUP to the server")
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        raise forbidden("a reload needs Authorization: Bearer <RELOAD_TOKEN>")
    master = current_app.config.get(MASTER_PID)
    if master and master != os.getpid():
        os.kill(master, signal.SIGHUP)      # the master reloads and replaces every worker
        return jsonify({"ok": True, "status": 202, "message": "reload requested; the master "
                        "re-reads the files (see /-/health loaded_at and the log)"}), 202
    reloaded, message = reload_data(current_app)
    if not reloaded:
        raise SparqlError(409, message)
    return jsonify({"ok": True, "status": 200, "message": message})
