"""gsomia-kg: an evidence-backed knowledge graph compiler for news sources about agreements."""

__version__ = "0.1.0"
