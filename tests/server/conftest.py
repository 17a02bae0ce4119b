"""Fixtures of the endpoint tests: the app built by the factory over the shipped ontology + graph.

The shipped data is read and validated once per session; `shipped` serves it from
each backend in turn — `embedded` (the in-memory pyoxigraph store), `oxigraph` (a
real `oxigraph serve` process) and `virtuoso` (a real Virtuoso 7), the two stores
loaded with `chipkg push` and queried through `RemoteStore` as `serve --backend`
does — so every endpoint test runs against all three. Each store starts once per
session and is stopped at its end (also on failure). CHIPKG_TEST_BACKENDS (e.g.
"embedded,oxigraph") narrows the set while developing; CI runs all three. Each test
module gets its own app from `create_app` (`app`), with settings a module can
change by defining a `settings` fixture.
"""

import atexit
import os

import pytest
from click.testing import CliRunner

from chipkg.cli import cli
from chipkg.server import create_app, load_dataset
from chipkg.server.backends import remote_dataset
from chipkg.server.config import DEFAULTS
from stores import start_oxigraph, start_virtuoso

BACKENDS = ("embedded", "oxigraph", "virtuoso")


def backends() -> list[str]:
    chosen = [b.strip() for b in os.environ.get("CHIPKG_TEST_BACKENDS", ",".join(BACKENDS)).split(",")]
    unknown = set(chosen) - set(BACKENDS)
    assert not unknown, f"CHIPKG_TEST_BACKENDS: unknown backend(s) {unknown}; known: {BACKENDS}"
    return [b for b in BACKENDS if b in chosen]


@pytest.fixture(scope="session")
def embedded_shipped(sources):
    """The shipped ontology + graph, validated (quotes included) and loaded once."""
    return load_dataset({**DEFAULTS, "SOURCES_DIR": str(sources)})


@pytest.fixture(scope="session")
def external_stores(tmp_path_factory, sources):
    """kind -> a running store holding the shipped dataset, pushed by `chipkg push`;
    started on first use, stopped at the end of the session."""
    started = {}

    def get(kind: str):
        if kind not in started:
            folder = tmp_path_factory.mktemp(kind)
            store = (start_oxigraph if kind == "oxigraph" else start_virtuoso)(folder)
            atexit.register(store.stop)         # in case the session dies before its teardown
            started[kind] = store
            result = CliRunner().invoke(cli, ["push", "--store", store.gsp_url, "--sources", str(sources)],
                                        env=store.environ, catch_exceptions=False)
            assert result.exit_code == 0, result.output
        return started[kind]

    yield get
    for store in started.values():
        store.stop()


@pytest.fixture(scope="session", params=backends())
def shipped(request, embedded_shipped, external_stores):
    """The shipped dataset as served by one backend (the test id names it)."""
    if request.param == "embedded":
        return embedded_shipped
    store = external_stores(request.param)
    return remote_dataset({**DEFAULTS, "BACKEND_URL": store.query_url})


@pytest.fixture(scope="session")
def backend(shipped) -> str:
    """embedded, sparql (the protocols as written: Oxigraph server) or virtuoso."""
    return getattr(shipped.store, "kind", "embedded")


@pytest.fixture(scope="module")
def settings() -> dict:
    return {}


@pytest.fixture(scope="module")
def app(shipped, settings):
    return create_app({"LOG_REQUESTS": True, **settings}, shipped)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner():
    return CliRunner()
