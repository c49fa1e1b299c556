"""Who may see or record automated results (the testing side of certeval.accounts.permissions).

Automated results are read and written by the organisers of a campaign **within their scope**:
an organiser whose role is limited to one academy only sees and records the results of that
academy's candidates (``certeval.accounts.permissions.enrolments_managed`` applies the scope);
administrators see every candidate. A candidate reads their own applicable result.
Everything outside the scope is answered like an absent object (404, « introuvable »).
"""

from __future__ import annotations

from django.db.models import QuerySet

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, Enrolment
from certeval.campaigns.permissions import campaigns_managed, enrolments_managed, enrolments_own_or_managed


def campaigns_with_results(user: User) -> QuerySet[Campaign]:
    """Campaigns whose automated-results page the user may open (their scope inside is narrower)."""
    return campaigns_managed(user)


def enrolments_in_scope(user: User, campaign: Campaign) -> QuerySet[Enrolment]:
    """The campaign's enrolments whose automated results the user may read and record."""
    return enrolments_managed(user).filter(campaign=campaign)


def enrolments_managed_for_results(user: User) -> QuerySet[Enrolment]:
    """Every enrolment whose automated result the user may record (all campaigns, their scope)."""
    return enrolments_managed(user)


def can_record(user: User, enrolment: Enrolment) -> bool:
    return enrolments_managed(user).filter(pk=enrolment.pk).exists()


def enrolments_readable(user: User) -> QuerySet[Enrolment]:
    """Enrolments whose applicable automated result the user may read: their own, and those they
    manage (within their academy scope)."""
    return enrolments_own_or_managed(user)
