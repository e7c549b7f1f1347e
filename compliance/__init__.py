"""provenance: content provenance and takedown compliance for news aggregators."""

__version__ = "0.1.0"
