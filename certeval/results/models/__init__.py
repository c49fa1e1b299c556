"""Models of the results context: awards (attestations with their public verification code) and
session publications."""

from certeval.results.models.awards import Award
from certeval.results.models.publication import SessionPublication

__all__ = ["Award", "SessionPublication"]
