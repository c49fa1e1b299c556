"""Models of the results context: session publications."""

from certeval.results.models.publication import SessionPublication

__all__ = ["SessionPublication"]
