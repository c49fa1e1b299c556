"""Who may see or do what with juries (the jury side of certeval.accounts.permissions).

- Organisers of a campaign (and administrators) compose and edit its juries and record meetings
  (automated results: certeval.testing.permissions).
- A juror sees the juries they sit on, scores their candidates and reads the question bank.
- The president of a jury (its group's president, or the member with the president role when the
  group has none: certeval.juries.presidency) harmonises and validates its decisions.
- A regroupement inter-académique's president sees and harmonises only its juries and candidates
  (its groups of juries take its president) and records its meetings; those who run the campaign
  see every regroupement (``regroupements_led``). Anyone else gets the 404 of an absent page.
- What a candidate sees of their oral and decision is decided by certeval.results.permissions.

Jurors and presidents read dossiers through ``ReviewerAssignment`` rows, which the jury services
keep in step with the juries.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from certeval.accounts.models import User
from certeval.accounts.permissions import is_administrator
from certeval.campaigns.models import Campaign, Regroupement
from certeval.campaigns.permissions import campaigns_run
from certeval.juries.models import Juror, Jury, JuryGroup, JuryMember, OralSlot
from certeval.juries.presidency import presided_by, presiding_person


def juries_visible(user: User) -> QuerySet[Jury]:
    """Juries of the campaigns the user runs, those they sit on and those they preside."""
    if is_administrator(user):
        return Jury.objects.all()
    if not user.is_authenticated:
        return Jury.objects.none()
    return Jury.objects.filter(
        Q(campaign__in=campaigns_run(user)) | Q(members__juror__user=user) | Q(group__president=user)
    ).distinct()


def juries_presided(user: User) -> QuerySet[Jury]:
    """Juries whose harmonisation and decisions the user leads: those they preside
    (:mod:`certeval.juries.presidency`, one definition)."""
    if not user.is_authenticated:
        return Jury.objects.none()
    return Jury.objects.filter(presided_by(user)).distinct()


def slots_visible(user: User) -> QuerySet[OralSlot]:
    return OralSlot.objects.filter(jury__in=juries_visible(user))


def juror_of(user: User, slot: OralSlot) -> Juror | None:
    """The user's juror profile when they sit on the slot's jury, else None."""
    if not user.is_authenticated:
        return None
    member = JuryMember.objects.filter(jury_id=slot.jury_id, juror__user=user).select_related("juror").first()
    return None if member is None else member.juror


def can_manage_juries(user: User, campaign: Campaign) -> bool:
    return campaigns_run(user).filter(pk=campaign.pk).exists()


def can_harmonise(user: User, jury: Jury) -> bool:
    """Whether ``user`` presides ``jury`` (the group's president, else the presiding member)."""
    president = presiding_person(jury)
    return user.is_authenticated and president is not None and president.pk == user.pk


def groups_presided(user: User) -> QuerySet[JuryGroup]:
    if is_administrator(user):
        return JuryGroup.objects.all()
    if not user.is_authenticated:
        return JuryGroup.objects.none()
    return JuryGroup.objects.filter(Q(president=user) | Q(campaign__in=campaigns_run(user))).distinct()


def campaigns_of_juror(user: User) -> QuerySet[Campaign]:
    """Campaigns where the user is in the juror pool or presides a group of juries."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    return Campaign.objects.filter(Q(jurors__user=user) | Q(jury_groups__president=user)).distinct()


def regroupements_led(user: User) -> QuerySet[Regroupement]:
    """Regroupements whose jury work (juries, candidates, meetings) the user leads: the one they
    preside, every one of the campaigns they run."""
    if is_administrator(user):
        return Regroupement.objects.all()
    if not user.is_authenticated:
        return Regroupement.objects.none()
    return Regroupement.objects.filter(Q(president=user) | Q(campaign__in=campaigns_run(user))).distinct()


def can_record_regroupement_meeting(user: User, regroupement: Regroupement) -> bool:
    return regroupements_led(user).filter(pk=regroupement.pk).exists()
