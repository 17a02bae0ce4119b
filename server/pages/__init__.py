"""The HTML pages: the home page and query form, and stored queries. Their templates are
files in server/templates/ (Jinja, autoescaped: every name ends in .html)."""
