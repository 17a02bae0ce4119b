"""The triples of a CONSTRUCT or DESCRIBE answered by a remote store, like `QueryTriples`.

pyoxigraph cannot build a `QueryTriples` from Python, so remote graph answers are
this iterator of `Triple`s, read lazily from the store's answer; `is_graph` in
`protocol.results` knows both.
"""

import pyoxigraph as ox


class Triples:
    def __init__(self, quads):
        self._quads = iter(quads)

    def __iter__(self):
        return self

    def __next__(self) -> ox.Triple:
        return next(self._quads).triple
