"""The SPARQL 1.1 Protocol at /sparql: request parsing, query checks, rewriting, execution
within the limits, output choice and serialisation."""
