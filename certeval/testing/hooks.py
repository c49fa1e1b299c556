"""What ``campaigns`` needs of automated results, given through the hooks of
``certeval.campaigns.prerequisites`` (registered in ``TestingConfig.ready``): campaigns is a lower
layer and never imports testing.

And the registries that the contexts above testing (results) fill in their ``AppConfig.ready``, so
that testing never imports them (add with ``certeval.campaigns.hooks.register``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, Enrolment
from certeval.campaigns.prerequisites import AutomatedLevel
from certeval.campaigns.services import CampaignError
from certeval.testing import selectors, services
from certeval.testing.errors import TestingError

if TYPE_CHECKING:
    from django.http import HttpRequest

    from certeval.testing.models import Run

# Called inside the transaction that finishes a placement run, once the run is saved with its level:
# (run, actor). The results context issues the attestation of the level here.
PLACEMENT_FINISHED: list[Callable[[Run, User], None]] = []
# Links of a finished placement run's result page to other contexts' pages about it (the attestation,
# for instance): (request, run) -> [(label, url)], only those the user may open.
PLACEMENT_RESULT_LINKS: list[Callable[[HttpRequest, Run], list[tuple[str, str]]]] = []


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
