"""Models of the results context: awards (attestations with their public verification code)."""

from certeval.results.models.awards import Award

__all__ = ["Award"]
