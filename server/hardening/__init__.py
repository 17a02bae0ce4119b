"""Hardening of every route: strict input decoding and per-client fairness.

Both run before any route (`before_app_request`), so a page another blueprint adds
later (entity pages, exports, the editor) gets them without doing anything.
"""

from flask import Flask

from . import fairness, strict


def init_app(app: Flask) -> None:
    app.register_blueprint(strict.blueprint)
    app.register_blueprint(fairness.blueprint)
