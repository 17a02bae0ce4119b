"""Fixtures of the endpoint tests: the app built by the factory over the shipped ontology + graph.

The shipped data is read and validated once per session (`shipped`); each test
module gets its own app from `create_app` (`app`), with settings a module can
change by defining a `settings` fixture.
"""

import pytest
from click.testing import CliRunner

from chipkg.server import create_app, load_dataset
from chipkg.server.config import DEFAULTS

@pytest.fixture(scope="session")
def shipped(sources):
    """The shipped ontology + graph, validated (quotes included) and loaded once."""
    return load_dataset({**DEFAULTS, "SOURCES_DIR": str(sources)})


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
