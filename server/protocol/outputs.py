"""Choosing the output format of an answer: `format=` first, then the Accept header.

Offered, in order of preference: the formats of the table that fit the query's
kind (SELECT/ASK: JSON, XML, CSV, TSV; CONSTRUCT/DESCRIBE: Turtle, N-Triples,
JSON-LD, RDF/XML, TriG, N-Quads), then the HTML view, then the aliases clients
also send (application/json, text/plain, ...). The first is the default.

`format=` takes a short name of the table (json, turtle, ...), ``html``, or a
media type. Values that fit no format of this query's kind are passed over and
the Accept header decides: SPARQLWrapper sends ``format=xml`` (meaning RDF/XML)
for CONSTRUCT and repeats its choice in ``format=`` under several spellings.
"""

from chipkg.formats import BY_NAME, Format, formats_of

from ..errors import not_acceptable
from ..negotiate import negotiate

HTML = "text/html"


def _offer(kind: str, html: bool) -> tuple[list[str], dict[str, Format | None]]:
    fitting = formats_of(kind)
    types: dict[str, Format | None] = {f.media_type: f for f in fitting}
    if html:
        types[HTML] = None
    for f in fitting:
        for alias in f.aliases:
            types.setdefault(alias, f)
    return list(types), types


def _named(value: str, types: dict[str, Format | None]) -> tuple[bool, Format | None]:
    value = value.strip().lower()
    if value == "html" and HTML in types:
        return True, None
    fmt = BY_NAME.get(value)
    if fmt is not None and fmt.media_type in types:
        return True, fmt
    media_type = value.split(";")[0].strip()
    if media_type in types:
        return True, types[media_type]
    return False, None


def choose_output(kind: str, formats: tuple[str, ...], accept: str | None,
                  html: bool = True) -> Format | None:
    """The Format to answer in, or None for the HTML view; raise 406 when nothing fits."""
    offered, types = _offer(kind, html)
    for value in formats:
        found, fmt = _named(value, types)
        if found:
            return fmt
    chosen = negotiate(accept, offered)
    if chosen is None:
        canonical = [t for t in offered if t == HTML or types[t].media_type == t]
        raise not_acceptable(canonical)
    return types[chosen]


def choose_rdf_format(formats: tuple[str, ...], accept: str | None) -> Format:
    return choose_output("graph", formats, accept, html=False)
