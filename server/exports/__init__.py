"""Linked-data downloads: the export of the served data, listed and served under /downloads."""
