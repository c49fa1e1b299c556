"""Who may see or record automated results, write items and manage item banks.

Automated results are read and written by the organisers of a campaign **within their scope**:
an organiser whose role is limited to one academy only sees and records the results of that
academy's candidates (``certeval.accounts.permissions.enrolments_managed`` applies the scope);
administrators see every candidate. A candidate reads their own applicable result.
Everything outside the scope is answered like an absent object (404, « introuvable »).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from certeval.accounts.models import User
from certeval.accounts.permissions import is_administrator
from certeval.campaigns.models import Campaign, Enrolment
from certeval.campaigns.permissions import (
    campaigns_managed,
    campaigns_run,
    enrolments_managed,
    enrolments_own_or_managed,
    sessions_visible,
)
from certeval.testing.models import Incident, Item, ItemVersion, ItemWriter, Question, SessionDelivery
from certeval.testing.selectors import LIGHT_VERSION_FIELDS, automated_test_of, known_banks


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


def banks_written(user: User) -> set[str]:
    """Item banks whose items the user writes and reviews: those an administrator granted them
    (``ItemWriter``); every bank for administrators."""
    if is_administrator(user):
        return set(known_banks())
    if not user.is_authenticated:
        return set()
    return set(ItemWriter.objects.filter(user=user).values_list("bank", flat=True))


def banks_managed(user: User) -> set[str]:
    """Item banks whose coverage and calibration the user manages: the automated tests of the
    campaigns they run as a whole (not limited to an academy); every bank for administrators."""
    banks = known_banks()
    if is_administrator(user):
        return set(banks)
    tests = {
        automated_test_of(c.framework_version)
        for c in campaigns_run(user)
        .select_related("framework_version")
        .only(*(f"framework_version__{name}" for name in LIGHT_VERSION_FIELDS))
    }
    return {bank for bank in tests if bank in banks}


def can_review(user: User, item: Item) -> bool:
    """A second person reviews an item: a writer of its bank who is not its author."""
    return item.bank in banks_written(user) and item.author_id != user.pk


def can_read_version_files(user: User, version: ItemVersion) -> bool:
    """The image and attached file of an item version: its bank's writers and managers, and the
    people it was served to (never anyone else, so certification items do not leak)."""
    bank = version.item.bank
    if bank in banks_written(user) or bank in banks_managed(user):
        return True
    return (
        user.is_authenticated
        and Question.objects.filter(item_version=version, run__candidate__user=user).exists()
    )


def deliveries_invigilated(user: User) -> QuerySet[SessionDelivery]:
    """Proctored sessions whose console the user may open with their account: the sessions of the
    campaigns they run and those they invigilate (``campaigns.permissions.sessions_visible``)."""
    return SessionDelivery.objects.filter(session__in=sessions_visible(user))


def deliveries_managed(user: User) -> QuerySet[SessionDelivery]:
    """Proctored sessions an organiser opens, sets up and reads the incidents of: the campaigns they
    run as a whole; every session for administrators."""
    return SessionDelivery.objects.filter(session__campaign__in=campaigns_run(user))


def incidents_decidable(user: User) -> QuerySet[Incident]:
    """Incidents the user may decide: organisers of the campaign — limited to their academy's
    candidates when their role has an academy (an incident without candidate needs the whole
    campaign); administrators decide every one."""
    if is_administrator(user):
        return Incident.objects.all()
    if not user.is_authenticated:
        return Incident.objects.none()
    return Incident.objects.filter(
        Q(session__session__campaign__in=campaigns_run(user))
        | Q(sitting__enrolment__in=enrolments_managed(user))
    ).distinct()


def has_incidents_to_decide(user: User) -> bool:
    """Whether ``incidents_decidable(user)`` holds an incident still undecided — asked on every page
    (the navigation), so each branch of the scope is asked on its own: an OR across the two subqueries
    under DISTINCT costs several times more on SQLite."""
    if not user.is_authenticated:
        return False
    undecided = Incident.objects.filter(decision="")
    if is_administrator(user):
        return undecided.exists()
    return (
        undecided.filter(session__session__campaign__in=campaigns_run(user)).exists()
        or undecided.filter(sitting__enrolment__in=enrolments_managed(user)).exists()
    )
