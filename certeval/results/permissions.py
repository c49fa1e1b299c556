"""What a candidate may see of their oral and their result, and who publishes results.

A candidate sees their own oral (once juries are composed) and, once the campaign's results are
published, their own decision and bordereau — nothing of the deliberation before. Results are
published by an administrator or an organiser of the whole campaign (not one scoped to an academy).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from certeval.accounts.models import User
from certeval.accounts.permissions import is_administrator
from certeval.campaigns.models import Campaign, Enrolment
from certeval.campaigns.permissions import campaigns_managed, campaigns_run, enrolments_managed
from certeval.juries.models import Deliberation, OralSlot
from certeval.results.models import Award
from certeval.results.selectors import RESULT_STATES


def enrolments_of_candidate(user: User) -> QuerySet[Enrolment]:
    """The user's own enrolments (their oral and result page)."""
    if not user.is_authenticated:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(candidate__user=user)


def score_sheets_of_candidate(user: User) -> QuerySet[OralSlot]:
    """Orals whose bordereau the candidate may download: their own, with a validated decision, once
    the campaign's results — or their session's — are published."""
    if not user.is_authenticated:
        return OralSlot.objects.none()
    return OralSlot.objects.filter(
        Q(jury__campaign__state__in=RESULT_STATES) | Q(enrolment__session__results_publication__isnull=False),
        enrolment__candidate__user=user,
        deliberations__state=Deliberation.State.VALIDATED,
    ).distinct()


def can_publish(user: User, campaign: Campaign) -> bool:
    """Administrators and the campaign's organisers without an academy scope (or through the
    campaign's organisation) publish its results."""
    if is_administrator(user):
        return True
    return user.is_authenticated and campaigns_run(user).filter(pk=campaign.pk).exists()


def campaigns_with_statistics(user: User) -> QuerySet[Campaign]:
    """Campaigns whose statistics page (counts of every academy, jurors' answers) the user reads: the
    campaign-wide figures go to administrators and organisers of the whole campaign; an organiser
    limited to an academy, a juror or a president reads none (404)."""
    return campaigns_run(user)


def cdc_campaigns(user: User) -> QuerySet[Campaign]:
    """Campaigns whose Caisse des Dépôts declaration page the user opens: administrators and the
    campaign's organisers (an academy-limited organiser sees and corrects their academy's holders)."""
    return campaigns_managed(user)


def cdc_holders_managed(user: User) -> QuerySet[Enrolment]:
    """Holders whose declaration data the user corrects (organisers within their academy)."""
    return enrolments_managed(user)


def can_declare_cdc(user: User, campaign: Campaign) -> bool:
    """Producing and downloading the flux and importing the acknowledgement: as publishing."""
    return can_publish(user, campaign)


def can_revoke_award(user: User, award: Award) -> bool:
    """Revocation: administrators, and for an award of a campaign the organisers of the whole campaign
    (as for publication); an award without campaign only by administrators."""
    campaign = award.campaign
    if campaign is None:
        return is_administrator(user)
    return can_publish(user, campaign)


def can_manage_campaign_awards(user: User, campaign: Campaign) -> bool:
    """Who sees the list of a campaign's awards and its revoke forms."""
    return can_publish(user, campaign)
