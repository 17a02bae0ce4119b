"""Hardening of every route: strict input decoding, per-client fairness, safe headers.

They hook every request (`before_app_request` / `after_app_request`), so a page another
blueprint adds later (entity pages, exports, the editor) gets them without doing anything.
The budget is checked first: a client over it is refused before any other work.
"""

from flask import Flask

from . import fairness, headers, reload, strict


def init_app(app: Flask) -> None:
    app.register_blueprint(fairness.blueprint)
    app.register_blueprint(strict.blueprint)
    app.register_blueprint(headers.blueprint)
    app.register_blueprint(reload.blueprint)
