"""Evidence views: `as-of=YYYY-MM-DD` and `min-evidence=LEVEL` as a selection of the data.

A view never rewrites the query text. It is one named graph holding exactly the
triples the view admits, built from the loaded store on first use and cached
(`materialize`); the query then runs with that graph as its default graph
(`Store.query(default_graph=[view])`), the SPARQL Protocol's
`default-graph-uri`. One graph, because Oxigraph evaluates a default graph made
of k graphs as k lookups per pattern: measured at 1M triples, 2 graphs cost 1.6x
and 6 graphs 3.5x the union, one graph 1.0x (docs/endpoint.md, "Evidence views").

`view_for(request)` is the one function every page and protocol answer passes
through: it reads the two parameters and returns the View (options, headers and
the note a page shows), or None when neither is given.
"""

from .selection import View, preload, view_for, view_headers

__all__ = ["View", "preload", "view_for", "view_headers"]
