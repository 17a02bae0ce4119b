"""The HTML pages: the home page and query form, stored queries, and their templates."""
