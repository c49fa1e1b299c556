"""Pages of a campaign's regroupements inter-académiques: the list (those who run the campaign see
and change them all, an academy-limited organiser sees those containing their academy), creation
and change (name, academies, president)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns import permissions, selectors
from certeval.campaigns.hooks import REGROUPEMENT_LINKS
from certeval.campaigns.models import Campaign, CampaignState, Regroupement
from certeval.campaigns.regroup_forms import RegroupementForm
from certeval.campaigns.regroup_services import regroupement_save
from certeval.campaigns.services import CampaignError
from certeval.campaigns.views import campaign_crumbs


def _visible_campaign(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    """A campaign the user organises, or one of whose regroupements they preside."""
    visible = permissions.regroupements_visible(request.user)
    campaigns = Campaign.objects.filter(
        Q(pk__in=permissions.campaigns_managed(request.user).values("pk"))
        | Q(pk__in=visible.values("campaign_id"))
    )
    return get_visible_or_404(campaigns, pk=campaign_id)


@login_required
def regroupement_list(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _visible_campaign(request, campaign_id)
    can_run = permissions.can_manage_campaign(request.user, campaign)
    can_edit = can_run and campaign.state != CampaignState.ARCHIVED
    regroupements = selectors.regroupements_of(
        campaign, among=permissions.regroupements_visible(request.user)
    )
    form = RegroupementForm(request.POST or None, campaign=campaign) if can_edit else None
    if request.method == "POST":
        if form is None:
            raise Http404("Not allowed.")
        if form.is_valid() and _save(request, form, campaign, None):
            return redirect("campaigns:regroupements", campaign.pk)
    rows = [
        (
            r,
            [link for provider in REGROUPEMENT_LINKS for link in provider(request, r)],
        )
        for r in regroupements
    ]
    return render(
        request,
        "campaigns/regroupements.html",
        {
            "campaign": campaign,
            "rows": rows,
            "can_edit": can_edit,
            "form": form,
            "crumbs": campaign_crumbs(campaign, (_("Regroupements inter-académiques"), "")),
        },
    )


@login_required
def regroupement_edit(request: AuthenticatedHttpRequest, regroupement_id: int) -> HttpResponse:
    regroupement = get_visible_or_404(
        permissions.regroupements_managed(request.user).select_related("campaign"), pk=regroupement_id
    )
    campaign = regroupement.campaign
    if campaign.state == CampaignState.ARCHIVED:
        raise Http404("Archived.")
    form = RegroupementForm(request.POST or None, campaign=campaign, regroupement=regroupement)
    if request.method == "POST" and form.is_valid() and _save(request, form, campaign, regroupement):
        return redirect("campaigns:regroupements", campaign.pk)
    return render(
        request,
        "campaigns/form.html",
        {
            "form": form,
            "title": _("Modifier le regroupement « %(name)s »") % {"name": regroupement.name},
            "crumbs": campaign_crumbs(
                campaign,
                (
                    _("Regroupements inter-académiques"),
                    reverse("campaigns:regroupements", args=[campaign.pk]),
                ),
                (regroupement.name, ""),
            ),
        },
    )


def _save(
    request: AuthenticatedHttpRequest,
    form: RegroupementForm,
    campaign: Campaign,
    regroupement: Regroupement | None,
) -> bool:
    try:
        saved = regroupement_save(
            campaign=campaign,
            by=request.user,
            name=form.cleaned_data["name"],
            academies=form.chosen_academies(),
            president=form.cleaned_data["president"],
            regroupement=regroupement,
        )
    except CampaignError as error:
        form.add_error(None, str(error))
        return False
    messages.success(request, _("Regroupement « %(name)s » enregistré.") % {"name": saved.name})
    return True
