"""Organisers' corrections: edit a campaign, edit an enrolment, place ticked candidates in a session."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns import corrections, permissions
from certeval.campaigns.forms import (
    ENROLMENT_FORM_FIELDS,
    IDENTITY_FORM_FIELDS,
    BulkSessionForm,
    CampaignEditForm,
    EnrolmentEditForm,
)
from certeval.campaigns.services import CampaignError


def _crumbs(campaign: object, *rest: tuple[str, str]) -> list[tuple[str, str]]:
    items = [(_("Campagnes"), reverse("campaigns:list"))]
    items.append((str(campaign), reverse("campaigns:detail", args=[campaign.pk])))  # type: ignore[attr-defined]
    return items + list(rest)


@login_required
def campaign_edit(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    user = request.user
    campaign = get_visible_or_404(
        permissions.campaigns_managed(user).select_related("framework_version"), pk=campaign_id
    )
    if not permissions.can_manage_campaign(user, campaign):
        raise Http404("Not allowed.")
    form = CampaignEditForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            corrections.campaign_update(
                campaign=campaign,
                by=user,
                changes={
                    "title": data["title"],
                    "deposit_deadline": form.deadline,
                    "final_policy": data["final_policy"],
                    "tie_rule": data["tie_rule"],
                    "oral_duration_minutes": data["oral_duration_minutes"],
                    "prerequisite_policy": data["prerequisite_policy"],
                    "mention_4_included": data.get("mention_4_included", campaign.mention_4_included),
                    "reading_delay_days": data["reading_delay_days"],
                    "allow_bloc_retake": data["allow_bloc_retake"],
                },
            )
        except CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Campagne modifiée."))
            return redirect("campaigns:detail", campaign.pk)
    return render(
        request,
        "campaigns/form.html",
        {
            "form": form,
            "title": _("Modifier la campagne"),
            "crumbs": _crumbs(campaign, (_("Modifier la campagne"), "")),
        },
    )


@login_required
def enrolment_edit(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    user = request.user
    enrolment = get_visible_or_404(
        permissions.enrolments_managed(user).select_related("candidate", "campaign", "academy", "session"),
        pk=enrolment_id,
    )
    form = EnrolmentEditForm(
        request.POST or None,
        enrolment=enrolment,
        academies=corrections.academies_for(user, enrolment.campaign),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            corrections.enrolment_update(
                enrolment=enrolment,
                by=user,
                identity={name: data[name] for name in IDENTITY_FORM_FIELDS},
                changes={name: data[name] for name in ENROLMENT_FORM_FIELDS},
            )
        except CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Inscription modifiée."))
            return redirect("campaigns:enrolment", enrolment.pk)
    title = _("Modifier l'inscription de %(name)s") % {"name": enrolment.candidate.display_name}
    return render(
        request,
        "campaigns/form.html",
        {
            "form": form,
            "title": title,
            "campaign": enrolment.campaign,
            "notice_key": "enrolment",
            "crumbs": _crumbs(
                enrolment.campaign,
                (enrolment.candidate.display_name, reverse("campaigns:enrolment", args=[enrolment.pk])),
                (_("Modifier"), ""),
            ),
        },
    )


@login_required
@require_POST
def enrolment_bulk_session(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """From the campaign's candidate list: the ticked candidates go to the chosen session."""
    user = request.user
    campaign = get_visible_or_404(permissions.campaigns_managed(user), pk=campaign_id)
    managed = list(
        permissions.enrolments_managed(user).filter(campaign=campaign).values_list("pk", flat=True)
    )
    form = BulkSessionForm(request.POST, campaign=campaign, enrolment_ids=managed)
    back = reverse("campaigns:enrolments", args=[campaign.pk])
    page = request.POST.get("page", "")
    if page.isdigit():
        back += f"?page={page}"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    try:
        moved = corrections.enrolments_assign_session(
            campaign=campaign,
            enrolment_ids=form.cleaned_data["enrolments"],
            session=form.cleaned_data["session"],
            by=user,
        )
    except CampaignError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(n)s candidat(s) placé(s) dans la session « %(label)s » ; les convocations sont envoyées.")
            % {"n": len(moved), "label": form.cleaned_data["session"].label},
        )
    return redirect(back)
