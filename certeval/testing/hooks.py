"""What ``campaigns`` needs of automated results, given through the hooks of
``certeval.campaigns.prerequisites`` (registered in ``TestingConfig.ready``): campaigns is a lower
layer and never imports testing."""

from __future__ import annotations

from datetime import date

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, Enrolment
from certeval.campaigns.prerequisites import AutomatedLevel
from certeval.campaigns.services import CampaignError
from certeval.testing import selectors, services
from certeval.testing.errors import TestingError


def lookup(candidate_id: int, campaign: Campaign, on: date) -> AutomatedLevel | None:
    """The person's applicable result for the campaign, the expired one included (the check says
    it expired)."""
    result = selectors.applicable_result_of(candidate_id, campaign, on=on, include_expired=True)
    return None if result is None else AutomatedLevel(result.level, result.obtained_on)


def record(*, enrolment: Enrolment, level: str, obtained_on: date, by: User | None) -> None:
    """Record the result typed with an enrolment (enrolment form, enrolment import)."""
    try:
        services.automated_result_record(enrolment=enrolment, level=level, obtained_on=obtained_on, actor=by)
    except TestingError as error:
        raise CampaignError(str(error)) from error
