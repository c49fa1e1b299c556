"""The jury page of a regroupement inter-académique: its academies, president, meetings (cadrage,
harmonisation), juries and candidates. Its president and those who run the campaign only; the
president of another regroupement gets the 404 of an absent page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.models import Regroupement
from certeval.juries import permissions
from certeval.juries.explain import halfday_label
from certeval.juries.forms import MeetingForm
from certeval.juries.models import JuryGroup
from certeval.juries.regroup_selectors import (
    regroupement_juries,
    regroupement_meetings,
    regroupement_people,
    regroupement_pool,
)
from certeval.juries.services.scoring import meeting_record


def regroupement_links(request: HttpRequest, regroupement: Regroupement) -> list[tuple[str, str]]:
    """The link of a regroupement's row (campaigns' regroupements page) to its jury page."""
    user = request.user
    if (
        not user.is_authenticated
        or not permissions.regroupements_led(user).filter(pk=regroupement.pk).exists()
    ):
        return []
    return [(_("Jurys et réunions"), reverse("juries:regroupement", args=[regroupement.pk]))]


def _led(request: AuthenticatedHttpRequest, regroupement_id: int) -> Regroupement:
    return get_visible_or_404(
        permissions.regroupements_led(request.user).select_related("campaign", "president"),
        pk=regroupement_id,
    )


@login_required
def regroupement_detail(request: AuthenticatedHttpRequest, regroupement_id: int) -> HttpResponse:
    regroupement = _led(request, regroupement_id)
    juries = regroupement_juries(regroupement)
    return render(
        request,
        "juries/regroupement.html",
        {
            "regroupement": regroupement,
            "campaign": regroupement.campaign,
            "academies": list(regroupement.academies.order_by("name")),
            "juries": [(jury, halfday_label(jury.halfday)) for jury in juries],
            "candidates": sum(len(jury.slots.all()) for jury in juries),
            "pool": regroupement_pool(regroupement),
            "meetings": regroupement_meetings(regroupement),
            "meeting_form": MeetingForm(people=regroupement_people(regroupement)),
            "crumbs": [(_("Mes jurys"), reverse("juries:mine")), (regroupement.name, "")],
        },
    )


@login_required
@require_POST
def regroupement_meeting(request: AuthenticatedHttpRequest, regroupement_id: int) -> HttpResponse:
    regroupement = _led(request, regroupement_id)
    record_meeting(
        request,
        MeetingForm(request.POST, people=regroupement_people(regroupement)),
        group=None,
        regroupement=regroupement,
    )
    return redirect("juries:regroupement", regroupement.pk)


def record_meeting(
    request: AuthenticatedHttpRequest,
    form: MeetingForm,
    *,
    group: JuryGroup | None,
    regroupement: Regroupement | None,
) -> None:
    """Record the posted meeting of a group of juries or a regroupement, with the page's message."""
    if not form.is_valid():
        messages.error(
            request, _("Réunion non enregistrée : indiquez la nature, la date et les participants.")
        )
        return
    meeting_record(
        group=group,
        regroupement=regroupement,
        kind=form.cleaned_data["kind"],
        held_at=form.cleaned_data["held_at"],
        attendees=form.cleaned_data["attendees"],
        minutes=form.cleaned_data["minutes"],
        actor=request.user,
    )
    messages.success(request, _("Réunion enregistrée."))
