"""`chipkg serve`: validate, load once, then serve with gunicorn.

The files are read and validated before anything listens: data that does not
conform is refused with the validation report (exit 1), never served. The
store is built in the gunicorn master (`preload_app`), and workers fork from
it, so a graph is loaded once whatever the number of workers. Workers are
gthread workers: a thread per query slot (MAX_CONCURRENT_QUERIES short and
MAX_LONG_QUERIES long) plus two, so health checks and busy answers (503) still get
through when every slot is taken.

SIGHUP to the master re-reads and validates the files; broken data keeps the old graph
(`hardening.reload`).

A worker whose query timed out is retired right after its 503 is sent (the
`post_request` hook sends it SIGTERM: a graceful stop), and gunicorn forks a
fresh one from the master; the runaway computation ends with the old process.
"""

import logging
import os
import signal
import sys
from pathlib import Path

import click

from chipkg.project import Layout

from .config import DEFAULTS, from_environ


def gunicorn_options(config: dict) -> dict:
    """gunicorn settings derived from the endpoint's config."""
    threads = config["THREADS"] or config["MAX_CONCURRENT_QUERIES"] + config["MAX_LONG_QUERIES"] + 2
    return {
        "bind": f"{config['HOST']}:{config['PORT']}",
        "workers": config["WORKERS"],
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        # the gthread heartbeat does not depend on request threads; long queries are
        # bounded by QUERY_TIMEOUT_SECONDS, not by gunicorn's timeout
        "timeout": max(30, int(config["QUERY_TIMEOUT_SECONDS"]) + 10),
        # a retiring worker lets its other queries finish (each bounded by the timeout)
        "graceful_timeout": int(config["QUERY_TIMEOUT_SECONDS"]) + 5,
        "keepalive": 5,
        "limit_request_line": 0,        # long GET queries: MAX_REQUEST_BYTES applies instead
        "accesslog": None,              # the app logs each request with its duration
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "chipkg-serve",
    }


def run_gunicorn(app, options: dict) -> None:
    """Serve `app` (already loaded: workers fork from this process) with gunicorn."""
    from gunicorn.app.base import BaseApplication

    from . import RETIRE_KEY
    from .hardening.reload import MASTER_PID, reload_data
    metrics = app.extensions["chipkg"].metrics
    cores = None
    if app.config["ISOLATE_QUERIES"] and app.config["LONG_QUERY_CORES"] != 0:
        from .protocol.cores import Cores, default_slots
        try:
            cores = Cores(app.config["LONG_QUERY_CORES"] or default_slots())     # before the fork
        except OSError as error:
            logging.getLogger("chipkg.server").warning(
                "long queries cannot take turns (%s): they run at the lowest priority", error)

    def post_fork(server, worker) -> None:
        metrics.claim_row()
        served = app.extensions["chipkg"].served
        if served is not None and app.config["ISOLATE_QUERIES"]:
            # still one thread here: the zygote of the query processes is forked now
            served.engine.isolate(stores=tuple(served.views.get("graphs", {}).values()),
                                  close=tuple(s.fileno() for s in server.LISTENERS), cores=cores)

    def post_request(worker, req, environ, resp) -> None:
        if environ.get(RETIRE_KEY):
            worker.log.warning("retiring worker %s after a timed-out query (it may still be "
                               "computing); a fresh worker replaces it", worker.pid)
            metrics.inc("workers_retired_total")
            served = app.extensions["chipkg"].served
            if served is not None:
                served.engine.retire()      # exit without waiting for the other runaways
            os.kill(os.getpid(), signal.SIGTERM)

    options = {**options, "post_fork": post_fork, "post_request": post_request}
    app.config[MASTER_PID] = os.getpid()    # workers ask the master to reload (/-/reload)

    class Application(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)
            if "control_socket_disable" in self.cfg.settings:     # gunicorn >= 25.1
                self.cfg.set("control_socket_disable", True)

        def load(self):
            return app

        def reload(self):
            """SIGHUP: gunicorn re-reads its settings, then forks new workers from this
            master; the data is re-read first, and kept as it was if it is broken."""
            super().reload()
            reload_data(app)

    Application().run()


def _configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: "
                                           "%(message)s", "%Y-%m-%d %H:%M:%S %z"))
    logger = logging.getLogger("chipkg.server")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


@click.command()
@click.option("--host", help=f"Address to listen on (default {DEFAULTS['HOST']}; loopback only).")
@click.option("--port", type=click.IntRange(0, 65535), help=f"Port (default {DEFAULTS['PORT']}).")
@click.option("--workers", type=click.IntRange(1), help=f"Worker processes (default {DEFAULTS['WORKERS']}).")
@click.option("--timeout", type=click.FloatRange(min=0.1),
              help=f"Query time limit in seconds (default {DEFAULTS['QUERY_TIMEOUT_SECONDS']:g}).")
@click.option("--max-rows", type=click.IntRange(1),
              help=f"Rows or triples per answer before it is cut (default {DEFAULTS['MAX_RESULT_ROWS']}).")
@click.option("--max-concurrent", type=click.IntRange(1),
              help=f"Queries running at once per worker (default {DEFAULTS['MAX_CONCURRENT_QUERIES']}).")
@click.option("--data", multiple=True, type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Serve this RDF file too (any syntax; named graphs kept). Repeatable.")
@click.option("--no-default-graph", is_flag=True,
              help="Do not serve the shipped graph: only the ontology and --data files.")
@click.option("--sources", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of source files for quote verification (default: $CHIPKG_SOURCES, "
                   "else ../shared/sources).")
@click.option("--skip-quotes", is_flag=True, help="Validate without checking quotes against sources.")
@click.option("--no-cache", is_flag=True,
              help="Validate even if a result for the same input is in the validation cache.")
@click.option("--service-allow", multiple=True, metavar="IRI",
              help="An endpoint SERVICE may call (federation is off without one). Repeatable.")
@click.option("--backend", metavar="URL",
              help="Serve from the external store whose SPARQL query endpoint is URL (loaded with "
                   "`chipkg push`) instead of loading the files. Credentials: CHIPKG_STORE_USER and "
                   "CHIPKG_STORE_PASSWORD, or netrc.")
@click.option("--backend-kind", type=click.Choice(["auto", "sparql", "virtuoso"]),
              help="The store's adapter (default auto: Virtuoso by its Server header, else generic).")
@click.pass_obj
def serve(layout: Layout, host, port, workers, timeout, max_rows, max_concurrent, data,
          no_default_graph, sources, skip_quotes, no_cache, service_allow, backend, backend_kind) -> None:
    """Validate the graph, then serve it over the SPARQL 1.1 Protocol at /sparql.

    Settings also come from CHIPKG_<SETTING> environment variables (options win);
    docs/endpoint.md lists them all. Exit 1 if the data does not conform.
    """
    from . import InvalidData, create_app, load_dataset
    from chipkg.validate.reports import render

    try:
        config = from_environ(os.environ)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    given = {"HOST": host, "PORT": port, "WORKERS": workers, "QUERY_TIMEOUT_SECONDS": timeout,
             "MAX_RESULT_ROWS": max_rows, "MAX_CONCURRENT_QUERIES": max_concurrent,
             "SOURCES_DIR": sources and str(sources), "BACKEND_URL": backend,
             "BACKEND_KIND": backend_kind}
    config.update({k: v for k, v in given.items() if v is not None})
    config["PROJECT_ROOT"] = str(layout.root)
    if data:
        config["DATA_FILES"] = [str(p) for p in data]
    if no_default_graph:
        config["INCLUDE_SHIPPED_GRAPH"] = False
        config.setdefault("DATASET_LICENSE", None)     # the shipped graph's licence is not yours
    if skip_quotes:
        config["SKIP_QUOTES"] = True
    if no_cache:
        config["VALIDATION_CACHE"] = False
    if service_allow:
        config["SERVICE_ALLOW_LIST"] = list(service_allow)
    settings = {**DEFAULTS, **config}
    if settings["BACKEND_URL"]:
        _serve_from_store(config, settings)
        return
    parts = ["the ontology"] + (["the shipped graph"] if settings["INCLUDE_SHIPPED_GRAPH"] else [])
    parts += [f"{len(settings['DATA_FILES'])} data file(s)"] if settings["DATA_FILES"] else []
    click.echo(f"chipkg serve: reading and validating {', '.join(parts)} ...", err=True)
    try:
        dataset = load_dataset(settings)
    except InvalidData as invalid:
        click.echo(render(invalid.outcome, "text"), err=True, nl=False)
        click.echo("chipkg serve: the data does not conform; not serving it", err=True)
        raise SystemExit(1) from None
    _configure_logging()
    app = create_app(config, dataset)
    _give_back_freed_memory()
    click.echo(f"chipkg serve: {dataset.triples} triples in {len(dataset.graphs)} named graphs; "
               f"SPARQL endpoint at http://{settings['HOST']}:{settings['PORT']}/sparql", err=True)
    run_gunicorn(app, gunicorn_options(settings))


def _give_back_freed_memory() -> None:
    """Return the heap that loading and validation freed to the system before the workers
    fork: glibc keeps it otherwise, and every worker would start with those pages counted as
    its own resident memory (measured at 1M triples in bench/validate.py)."""
    import ctypes
    import ctypes.util
    import gc
    gc.collect()
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):      # not glibc (musl, macOS): nothing to give back
        pass


def _serve_from_store(config: dict, settings: dict) -> None:
    """Serve the external store at BACKEND_URL: nothing is loaded or validated here (push did)."""
    from chipkg.errors import UnusableInput

    from . import create_app
    from .backends import remote_dataset
    from .errors import SparqlError

    if settings["DATA_FILES"]:
        raise click.UsageError("--data and --backend exclude each other: push the files with `chipkg push`")
    click.echo(f"chipkg serve: counting the dataset in the store at {settings['BACKEND_URL']} ...", err=True)
    try:
        dataset = remote_dataset(settings)
    except SparqlError as error:        # unreachable, refused, failed
        raise UnusableInput(error.message) from None
    _configure_logging()
    app = create_app(config, dataset)
    _give_back_freed_memory()
    click.echo(f"chipkg serve: {dataset.triples} triples in {len(dataset.graphs)} named graphs in the "
               f"{dataset.store.kind} store at {settings['BACKEND_URL']}; SPARQL endpoint at "
               f"http://{settings['HOST']}:{settings['PORT']}/sparql", err=True)
    run_gunicorn(app, gunicorn_options(settings))
