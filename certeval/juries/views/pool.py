"""Jury pages: the juror pool, one juror, the composition rule."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.models import Campaign
from certeval.juries import selectors
from certeval.juries.errors import JuryError
from certeval.juries.forms import (
    JurorForm,
    RuleForm,
)
from certeval.juries.services.pool import juror_invite, juror_update, jury_settings_update
from certeval.juries.views.common import _refused
from certeval.juries.views.composition import _managed_campaign


def _pool_crumbs(campaign: Campaign, title: str) -> list[tuple[str, str]]:
    return [
        (_("Mes jurys"), reverse("juries:mine")),
        (campaign.title, reverse("juries:campaign", args=[campaign.pk])),
        (title, ""),
    ]


def _juror_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "role": data["role"],
        "academy": data["academy"],
        "halfdays": data["halfdays"],
        "max_load": data["max_load"],
        "conflict_enrolments": data["conflict_enrolments"],
        "conflict_schools": data["conflict_schools"],
    }


@login_required
def juror_pool(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """The campaign's juror pool, and the form to add a person by e-mail."""
    campaign = _managed_campaign(request, campaign_id)
    form = JurorForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            juror = juror_invite(
                campaign=campaign,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                actor=request.user,
                **_juror_fields(data),
            )
            messages.success(request, _("%(name)s ajouté au vivier.") % {"name": juror.display_name})
            return redirect("juries:pool", campaign.pk)
        except JuryError as error:
            _refused(request, error)
    return render(
        request,
        "juries/pool.html",
        {
            "campaign": campaign,
            "pool": selectors.pool_of(campaign),
            "form": form,
            "crumbs": _pool_crumbs(campaign, _("Vivier de jurés")),
        },
    )


@login_required
def juror_edit(request: AuthenticatedHttpRequest, campaign_id: int, juror_id: int) -> HttpResponse:
    campaign = _managed_campaign(request, campaign_id)
    juror = get_visible_or_404(campaign.jurors.select_related("user", "academy"), pk=juror_id)
    form = JurorForm(request.POST or None, campaign=campaign, juror=juror)
    if request.method == "POST" and form.is_valid():
        try:
            juror_update(juror=juror, actor=request.user, **_juror_fields(form.cleaned_data))
            messages.success(request, _("Juré enregistré."))
            return redirect("juries:pool", campaign.pk)
        except JuryError as error:
            _refused(request, error)
    return render(
        request,
        "juries/juror_form.html",
        {
            "campaign": campaign,
            "juror": juror,
            "form": form,
            "crumbs": _pool_crumbs(campaign, juror.display_name),
        },
    )


@login_required
def composition_rule(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """The campaign's composition rule: size, role groups, inter-academic juries, orals per half-day."""
    campaign = _managed_campaign(request, campaign_id)
    form = RuleForm(request.POST or None, settings=selectors.jury_settings_of(campaign))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            jury_settings_update(
                campaign=campaign,
                actor=request.user,
                size=data["size"],
                groups=data["groups"],
                same_academy=data["same_academy"],
                halfday_slots=data["halfday_slots"],
                buffer_minutes=data["buffer_minutes"],
            )
            messages.success(request, _("Règle de composition enregistrée."))
            return redirect("juries:campaign", campaign.pk)
        except JuryError as error:
            _refused(request, error)
    return render(
        request,
        "juries/rule.html",
        {"campaign": campaign, "form": form, "crumbs": _pool_crumbs(campaign, _("Règle de composition"))},
    )
