"""Reads of a regroupement inter-académique's jury work (the caller has checked permissions with
``certeval.juries.permissions.regroupements_led``): its juries, candidates, pool and meetings."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from certeval.accounts.models import User
from certeval.campaigns.models import Regroupement
from certeval.juries.models import Juror, Jury, Meeting
from certeval.juries.selectors import juries_shown


def regroupement_people(regroupement: Regroupement) -> QuerySet[User]:
    """Who may attend its meetings: the jurors of its academies (the pool) and its president."""
    return User.objects.filter(
        Q(
            juror_profiles__campaign_id=regroupement.campaign_id,
            juror_profiles__academy__in=regroupement.academies.all(),
        )
        | Q(pk=regroupement.president_id)
    ).distinct()


def regroupement_pool(regroupement: Regroupement) -> list[Juror]:
    return list(
        Juror.objects.filter(campaign_id=regroupement.campaign_id, academy__in=regroupement.academies.all())
        .select_related("user", "academy")
        .order_by("academy__name", "user__last_name", "pk")
    )


def regroupement_juries(regroupement: Regroupement) -> list[Jury]:
    """The juries of its groups, each with who presides it, its members and orals."""
    return juries_shown(Jury.objects.filter(group__regroupement=regroupement))


def regroupement_meetings(regroupement: Regroupement) -> list[Meeting]:
    """Its meetings, and those recorded on its groups of juries."""
    return list(
        Meeting.objects.filter(Q(regroupement=regroupement) | Q(group__regroupement=regroupement))
        .distinct()
        .select_related("recorded_by")
        .prefetch_related("attendees")
        .order_by("held_at", "pk")
    )
