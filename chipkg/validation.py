"""Moved to chipkg.validate.run; this name keeps older imports working."""

from .validate.run import Outcome, validate_files, validate_quads, validate_store  # noqa: F401
