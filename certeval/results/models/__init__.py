"""Models of the results context, one module per topic."""

from certeval.results.models.cdc import CdcAcknowledgement as CdcAcknowledgement
from certeval.results.models.cdc import CdcHolderData as CdcHolderData
from certeval.results.models.cdc import CdcPassage as CdcPassage
from certeval.results.models.cdc import CdcReminder as CdcReminder
from certeval.results.models.cdc import CdcSettings as CdcSettings
from certeval.results.models.cdc import CdcSubmission as CdcSubmission
from certeval.results.models.stats import PastCohortRow, PastJurorAnswer  # noqa: F401
