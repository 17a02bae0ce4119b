"""The evidence levels of `ontology/evidence.ttl`, by every name a person types.

A test checks this table against the ontology, so the two cannot drift; it is
kept in code because the CLI and the server resolve names without loading RDF.
"""

from dataclasses import dataclass

from ..errors import UnusableInput
from ..namespaces import EV


@dataclass(frozen=True)
class Level:
    local: str          # ev:<local>
    notation: str       # skos:notation
    label: str          # skos:prefLabel
    rank: int           # ck:rank, higher is stronger
    low: float          # ck:minConfidence
    high: float         # ck:maxConfidence

    @property
    def iri(self) -> str:
        return str(EV[self.local])


LEVELS = (
    Level("OfficiallyConfirmed", "CONF", "officially confirmed", 5, 0.90, 1.00),
    Level("Reported", "REP", "reported", 4, 0.55, 0.85),
    Level("Speculative", "SPEC", "speculative", 3, 0.20, 0.55),
    Level("Unsupported", "UNSUP", "unsupported", 2, 0.05, 0.45),
    Level("Denied", "DEN", "denied", 1, 0.00, 0.20),
)
BY_RANK = {level.rank: level for level in LEVELS}
BY_IRI = {level.iri: level for level in LEVELS}


def level_of(name: str) -> Level:
    """A level from its notation (REP), label (reported), local name, ev: name or IRI."""
    wanted = str(name).strip()
    key = wanted.lower().replace("_", " ").replace("-", " ")
    for level in LEVELS:
        names = {level.notation.lower(), level.label, level.local.lower(), f"ev:{level.local}".lower(),
                 level.iri.lower()}
        if key in names or wanted.lower() in names:
            return level
    known = ", ".join(f"{lv.notation} ({lv.label})" for lv in LEVELS)
    raise UnusableInput(f"unknown evidence level {name!r}; use one of {known}")
