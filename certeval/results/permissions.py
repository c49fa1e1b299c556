"""What a candidate may see of their oral and their result.

A candidate sees their own oral (once juries are composed) and, once the campaign's results are
published, their own decision and bordereau — nothing of the deliberation before.
"""

from __future__ import annotations

from django.db.models import QuerySet

from certeval.accounts.models import User
from certeval.campaigns.models import Enrolment
from certeval.juries.models import Deliberation, OralSlot
from certeval.results.selectors import RESULT_STATES


def enrolments_of_candidate(user: User) -> QuerySet[Enrolment]:
    """The user's own enrolments (their oral and result page)."""
    if not user.is_authenticated:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(candidate__user=user)


def score_sheets_of_candidate(user: User) -> QuerySet[OralSlot]:
    """Orals whose bordereau the candidate may download: their own, with a validated decision, once
    the campaign's results are published."""
    if not user.is_authenticated:
        return OralSlot.objects.none()
    return OralSlot.objects.filter(
        enrolment__candidate__user=user,
        jury__campaign__state__in=RESULT_STATES,
        deliberations__state=Deliberation.State.VALIDATED,
    ).distinct()
