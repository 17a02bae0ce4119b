"""One finding of a validation run, whichever check made it."""

from dataclasses import asdict, dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..namespaces import PREFIXES

_NAMES = Graph(bind_namespaces="none")
for _prefix, _namespace in PREFIXES.items():
    _NAMES.bind(_prefix, _namespace)


def show(node: Node | None) -> str | None:
    """A node as a reader writes it: kg:micron rather than the full IRI."""
    return None if node is None else node.n3(_NAMES.namespace_manager)


@dataclass(frozen=True)
class Problem:
    severity: str          # "Violation" or "Warning"
    check: str             # the shape or check that found it, e.g. "cksh:DealShape"
    focus: str             # the node to fix, e.g. "kg:deal-micron-anthropic-2026-06"
    message: str           # what is wrong and what to do about it
    path: str | None = None
    value: str | None = None

    @property
    def is_violation(self) -> bool:
        return self.severity == "Violation"

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        where = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus}{where}{value}: {self.message} [{self.check}]"


def unshow(text: str) -> Node:
    """The node `show` printed, back as a term: kg:micron → its IRI."""
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    try:
        return _NAMES.namespace_manager.expand_curie(text)
    except ValueError:
        return Literal(text)
