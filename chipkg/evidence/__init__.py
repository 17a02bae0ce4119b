"""Evidence intelligence: registering sources, compiling claims files into TriG,
deriving a claim's level from its attestations, and linting levels against the
source's own hedging words.

Kept apart from validation and the server: these modules write the graph that
the rest of chipkg reads, so the two stay independent of each other.
"""
