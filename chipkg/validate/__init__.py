"""Validation: SHACL shapes and quote verification, fast enough for a million triples.

`run` is the pipeline (one pyoxigraph Store per run), `engines` the SHACL engines
behind one seam, `support` the refusal of shapes an engine would half-check,
`quotes` the quote check, `cache` the result cache keyed by the content of the
whole input, `reports` the output formats, `problems` one finding.
"""
