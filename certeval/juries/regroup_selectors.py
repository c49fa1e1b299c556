"""Reads of a regroupement inter-académique's jury work (the caller has checked permissions with
``certeval.juries.permissions.regroupements_led``): its juries, candidates, pool and meetings."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from certeval.accounts.models import User
from certeval.campaigns.models import Regroupement
from certeval.juries.models import Juror, Jury, JuryMember, Meeting, OralSlot
from certeval.juries.presidency import annotate_presidency


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
    return [
        annotate_presidency(jury)
        for jury in Jury.objects.filter(group__regroupement=regroupement)
        .select_related("group__president")
        .prefetch_related(
            Prefetch("members", queryset=JuryMember.objects.select_related("juror__user", "juror__academy")),
            Prefetch(
                "slots",
                queryset=OralSlot.objects.select_related(
                    "enrolment__candidate", "enrolment__academy"
                ).order_by("index"),
            ),
        )
        .order_by("halfday", "number")
    ]


def regroupement_meetings(regroupement: Regroupement) -> list[Meeting]:
    """Its meetings, and those recorded on its groups of juries."""
    return list(
        Meeting.objects.filter(Q(regroupement=regroupement) | Q(group__regroupement=regroupement))
        .distinct()
        .select_related("recorded_by")
        .prefetch_related("attendees")
        .order_by("held_at", "pk")
    )
