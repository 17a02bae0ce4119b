"""Moved to chipkg.validate.reports; this name keeps older imports working."""

from .validate.reports import FORMATS, render  # noqa: F401
