"""Content negotiation: one pure function from an Accept header to an offered media type.

Rules (RFC 9110, section 12.5.1):

* each offered type takes the q-value of the *most specific* media range that
  matches it: ``type/subtype`` beats ``type/*``, which beats ``*/*``;
* ``q=0`` excludes a type, even when a wildcard would accept it;
* the highest q wins; ties go to the type offered first (the server's preference);
* a missing or empty header, or one with no usable entry, accepts the first offered type;
* media type parameters other than ``q`` are ignored, and matching is case-insensitive.

>>> negotiate("text/csv;q=0.5, application/*", ["application/sparql-results+json", "text/csv"])
'application/sparql-results+json'
>>> negotiate("*/*;q=0.1, text/csv;q=0", ["text/csv"]) is None
True
"""

from collections.abc import Sequence


def parse_accept(header: str) -> list[tuple[str, str, float]]:
    """The media ranges of an Accept header as (type, subtype, q); bad entries are dropped."""
    ranges = []
    for entry in header.split(","):
        parts = entry.split(";")
        media = parts[0].strip().lower()
        kind, slash, sub = media.partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        q = 1.0
        for parameter in parts[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = -1.0
        if 0.0 <= q <= 1.0:
            ranges.append((kind, sub, q))
    return ranges


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client prefers, or None when it accepts none of them."""
    if not offered:
        return None
    ranges = parse_accept(accept) if accept else []
    if not ranges:
        return offered[0]
    best, best_q = None, 0.0
    for media_type in offered:
        kind, _, sub = media_type.lower().partition("/")
        specificity, q = -1, 0.0
        for range_kind, range_sub, range_q in ranges:
            if range_kind == kind and range_sub == sub:
                rank = 2
            elif range_kind == kind and range_sub == "*":
                rank = 1
            elif range_kind == "*":
                rank = 0
            else:
                continue
            if rank > specificity or (rank == specificity and range_q > q):
                specificity, q = rank, range_q
        if q > best_q:
            best, best_q = media_type, q
    return best
