"""The privacy app's models, one module per topic."""

from certeval.privacy.requests_models import PersonRequest
from certeval.privacy.retention_models import AnonymisedPerson, RetentionNotice, RetentionRun

__all__ = ["AnonymisedPerson", "PersonRequest", "RetentionNotice", "RetentionRun"]
