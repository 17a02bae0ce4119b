"""chipkg: an evidence-graded knowledge graph of the AI-chip supply chain."""
__version__ = "0.1.0"
