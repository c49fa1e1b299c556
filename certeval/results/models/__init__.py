"""Models of the results context: awards (attestations with their public verification code) and
their Open Badges 3.0 credentials."""

from certeval.results.models.awards import Award
from certeval.results.models.credentials import Credential, CredentialBatch, IssuerKey

__all__ = ["Award", "Credential", "CredentialBatch", "IssuerKey"]
