"""Who downloads the results files and the jury minutes (docs/results.md, « Results files and jury
minutes »).

- The national results file of a campaign: administrators; its organisers, an organiser limited to
  an academy getting only that academy's candidates; the president of a jury for that jury's
  candidates (``certeval.juries.presidency``). Someone else gets 404, as for an absent campaign.
- The minutes (procès-verbal) of a jury: its president and members, the organisers running the whole
  campaign and administrators (a jury gathers candidates of several academies, so an organiser
  limited to an academy does not get them): ``certeval.juries.permissions.juries_visible``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from certeval.accounts.models import User
from certeval.accounts.permissions import is_administrator
from certeval.campaigns.models import Campaign, Enrolment
from certeval.campaigns.permissions import campaigns_managed, organised_enrolments
from certeval.juries.models import Jury
from certeval.juries.permissions import juries_presided, juries_visible
from certeval.results.files_selectors import Scope, scope_choices


def results_enrolments(user: User, campaign: Campaign) -> QuerySet[Enrolment]:
    """The campaign's enrolments whose results ``user`` may export (none: no right on the file)."""
    enrolments = Enrolment.objects.filter(campaign=campaign)
    if is_administrator(user):
        return enrolments
    if not user.is_authenticated:
        return enrolments.none()
    presided = juries_presided(user).filter(campaign=campaign).values("pk")
    return enrolments.filter(organised_enrolments(user) | Q(oral_slot__jury__in=presided)).distinct()


def can_export_results(user: User, campaign: Campaign) -> bool:
    """Organisers of the campaign (whatever their scope), presidents of one of its juries, administrators."""
    return (
        campaigns_managed(user).filter(pk=campaign.pk).exists()
        or juries_presided(user).filter(campaign=campaign).exists()
    )


def minutes_juries(user: User) -> QuerySet[Jury]:
    """Juries whose minutes ``user`` may download."""
    return juries_visible(user)


def files_campaigns(user: User) -> QuerySet[Campaign]:
    """Campaigns whose « Fichiers de résultats » page ``user`` may open: those whose results file
    or one of whose juries' minutes they may download."""
    if is_administrator(user):
        return Campaign.objects.all()
    if not user.is_authenticated:
        return Campaign.objects.none()
    return Campaign.objects.filter(
        Q(pk__in=campaigns_managed(user).values("pk"))
        | Q(pk__in=juries_presided(user).values("campaign"))
        | Q(pk__in=minutes_juries(user).values("campaign"))
    )


def readable_scope(user: User, campaign: Campaign, academy: str | None, session: int | None) -> Scope | None:
    """The part of the campaign named by an academy code and a session id, when it lies within what
    ``user`` may export (``None`` otherwise: answered 404, as an absent one)."""
    academies, sessions = scope_choices(campaign, results_enrolments(user, campaign))
    chosen_academy = chosen_session = None
    if academy:
        chosen_academy = next((a for a in academies if a.code == academy), None)
        if chosen_academy is None:
            return None
    if session is not None:
        chosen_session = next((s for s in sessions if s.pk == session), None)
        if chosen_session is None:
            return None
    birth_data = campaigns_managed(user).filter(pk=campaign.pk).exists()
    return Scope(campaign, chosen_academy, chosen_session, birth_data=birth_data)
