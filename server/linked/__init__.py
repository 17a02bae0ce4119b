"""Linked-data pages: every IRI the graph mints resolves (HTML or RDF), with its evidence.

`entity` answers /id/<local> and /graph/<name> by content negotiation;
`model` gathers an entity page; `claims` is the claims browser at /claims;
`pictures` draws the deal network (Graphviz) and the timeline as SVG;
`present` says how terms read; `queries` holds every query these pages run and
the one function that runs them through the engine.
"""
