"""Running the stored queries on the shipped graph, for the tests that check their rows."""

KG = "https://w3id.org/chipkg/id/"
EV = "https://w3id.org/chipkg/evidence#"


def run(store, stored, name, **params):
    """The rows of stored query `name` with `params`, as dicts of lexical values (None: unbound)."""
    query = stored[name]
    rows = store.query(query.text, use_default_graph_as_union=True,
                       substitutions=query.substitutions(params))
    return [{k.value: (row[k].value if row[k] is not None else None) for k in rows.variables}
            for row in rows]
