"""The « Volet automatisé » section of an enrolment page (registered in
``campaigns.hooks.ENROLMENT_SECTIONS``): the proctored session the candidate is placed in and how to
join it, and the person's applicable automated result — level, date, validity, the level of each part,
the competences acquired and to work on, the reasons. Shown to the candidate and to the organisers of
their scope; others (invigilators, reviewers) see nothing of it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from certeval.campaigns.models import Enrolment
from certeval.testing import run_selectors, selectors
from certeval.testing.models import SessionDelivery
from certeval.testing.permissions import enrolments_readable


def _competence_rows(
    enrolment: Enrolment, competences: list[dict[str, Any]], acquired: bool
) -> list[list[str]]:
    titles = run_selectors.competence_titles(enrolment.campaign, sorted({c["part"] for c in competences}))
    parts = dict(run_selectors.part_choices())
    return [
        [
            f"{c['competence']} — {titles.get(c['part'], {}).get(c['competence'], '')}".rstrip(" —"),
            str(parts.get(c["part"], c["part"])),
            f"{c['correct']}/{c['answered']}",
        ]
        for c in competences
        if bool(c.get("acquired")) == acquired
    ]


def enrolment_section(request: HttpRequest, enrolment: Enrolment) -> SafeString | str:
    user = request.user
    if selectors.automated_test_of(enrolment.campaign.framework_version) is None:
        return ""
    if not enrolments_readable(user).filter(pk=enrolment.pk).exists():  # type: ignore[arg-type]
        return ""
    context = automated_context(request, enrolment)
    context["title"] = _("Volet automatisé")
    return render_to_string("testing/automated_section.html", context, request=request)


def automated_context(request: HttpRequest, enrolment: Enrolment) -> dict[str, Any]:
    """What the section shows of ``enrolment`` (the caller checked the reader may see it)."""
    user = request.user
    delivery = (
        SessionDelivery.objects.filter(session_id=enrolment.session_id).select_related("session").first()
        if enrolment.session_id
        else None
    )
    result = selectors.applicable_result(enrolment, include_expired=True)
    context: dict[str, Any] = {"delivery": delivery, "result": None}
    if delivery is not None:
        context["join_url"] = request.build_absolute_uri("/epreuve/")
        context["held"] = delivery.finalised_at is not None and delivery.results_recorded_at is None
    if result is not None:
        details = result.details or {}
        competences = list(details.get("competences") or [])
        parts = dict(run_selectors.part_choices())
        until = selectors.valid_until_of(enrolment.campaign, result)
        context["result"] = {
            "level": run_selectors.level_label(enrolment.campaign, result.level),
            "obtained_on": result.obtained_on,
            "valid_until": until,
            "parts": [
                (
                    str(parts.get(part, part)),
                    run_selectors.level_label(enrolment.campaign, value.get("level", "")),
                )
                for part, value in (result.parts or {}).items()
            ],
            "reasons": list(details.get("reasons") or []),
            "acquired": _competence_rows(enrolment, competences, True),
            "to_work": _competence_rows(enrolment, competences, False),
            "headers": [_("Compétence"), _("Partie"), _("Réponses justes")],
            "online": bool(details.get("sitting")),
        }
    context["placement_url"] = reverse("training:home") if enrolment.candidate.user_id == user.pk else ""
    return context
