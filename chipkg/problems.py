"""Moved to chipkg.validate.problems; this name keeps older imports working."""

from .validate.problems import Problem, show, unshow  # noqa: F401
