"""The information notice of remote proctored sessions (RGPD, CNIL délibération 2023-058 on remote
proctoring): what is collected during a remote test, why, who sees it, how long it is kept (the
campaign's ``CampaignDelivery.retention_days``), the candidate's rights, and the in-person sessions
offered instead.

It is shown where a candidate meets a remote session before taking it: the public page
``/epreuve/information-a-distance/<campaign>/`` (linked from the others), the enrolment page — which the
organiser placing the candidate in a session reads too — and the candidate's « Mes certifications »
(``campaigns.hooks.ENROLMENT_SECTIONS`` and ``CANDIDATE_NOTICES``, registered in
``TestingConfig.ready``). An enrolment placed in an on-site session shows nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from certeval.campaigns.models import Campaign, Enrolment, Session
from certeval.testing import sitting_engine as forms
from certeval.testing.models import CampaignDelivery, Sitting


def retention_days(campaign: Campaign) -> int:
    """The campaign's retention of proctoring events, read without creating its settings."""
    stored = (
        CampaignDelivery.objects.filter(campaign=campaign).values_list("retention_days", flat=True).first()
    )
    return int(stored) if stored is not None else int(forms.delivery_settings()["retention_days"])


def remote_sessions(campaign: Campaign) -> list[Session]:
    """The campaign's remote sessions not over yet."""
    return list(
        campaign.sessions.filter(mode=Session.Mode.REMOTE, ends_at__gt=timezone.now()).order_by("starts_at")
    )


def onsite_sessions(campaign: Campaign) -> list[Session]:
    """The in-person alternative: the campaign's on-site sessions not over yet."""
    return list(
        campaign.sessions.filter(mode=Session.Mode.ONSITE, ends_at__gt=timezone.now()).order_by(
            "starts_at", "pk"
        )
    )


def has_remote_session(campaign: Campaign) -> bool:
    return campaign.sessions.filter(mode=Session.Mode.REMOTE).exists()


def notice_context(campaign: Campaign, level: int = 2) -> dict[str, Any]:
    return {
        "campaign": campaign,
        "level": level,
        "sub": level + 1,
        "retention_days": retention_days(campaign),
        "setup_minutes": forms.setup_minutes(campaign, remote=True),
        "documents": [str(label) for label in Sitting.Document.labels],
        "onsite": onsite_sessions(campaign),
        "notice_url": reverse("remote_notice:page", args=[campaign.pk]),
    }


def concerned(enrolment: Enrolment) -> bool:
    """The enrolment is placed in a remote session not over yet, or not placed yet in a campaign that
    runs some (once the session is over, the public page still has the notice)."""
    session = enrolment.session
    if session is not None:
        return session.mode == Session.Mode.REMOTE and session.ends_at > timezone.now()
    return bool(remote_sessions(enrolment.campaign))


def enrolment_section(request: HttpRequest, enrolment: Enrolment) -> SafeString | str:
    """The full notice on the enrolment page (the candidate's, and the organiser's before placing)."""
    if not concerned(enrolment):
        return ""
    context = {**notice_context(enrolment.campaign, level=2), "enrolment": enrolment}
    return render_to_string("testing/notice/section.html", context, request=request)


def candidate_notice(request: HttpRequest, enrolment: Enrolment) -> SafeString | str:
    """The notice in short on « Mes certifications », with the in-person sessions and a link to it all."""
    if not concerned(enrolment):
        return ""
    context = {**notice_context(enrolment.campaign, level=3), "enrolment": enrolment}
    return render_to_string("testing/notice/summary.html", context, request=request)
