"""Moved to chipkg.validate.quotes; this name keeps older imports working."""

from .validate.quotes import CHECK, index_sources, verify_quotes  # noqa: F401
