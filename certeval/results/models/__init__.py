"""Models of the results context, one module per topic: awards (attestations with their public
verification code), their Open Badges 3.0 credentials, session publications, the Caisse des Dépôts
declaration and the statistics of past campaigns."""

from certeval.results.models.awards import Award
from certeval.results.models.cdc import (
    CdcAcknowledgement,
    CdcHolderData,
    CdcPassage,
    CdcReminder,
    CdcSettings,
    CdcSubmission,
)
from certeval.results.models.credentials import Credential, CredentialBatch, IssuerKey
from certeval.results.models.publication import SessionPublication
from certeval.results.models.stats import PastCohortRow, PastJurorAnswer

__all__ = [
    "Award",
    "CdcAcknowledgement",
    "CdcHolderData",
    "CdcPassage",
    "CdcReminder",
    "CdcSettings",
    "CdcSubmission",
    "Credential",
    "CredentialBatch",
    "IssuerKey",
    "PastCohortRow",
    "PastJurorAnswer",
    "SessionPublication",
]
