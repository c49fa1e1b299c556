"""Pages of the certifying organisations: list, creation (administrators), members and campaigns."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.reauth import require_recent_authentication
from certeval.campaigns import organisation_services as services
from certeval.campaigns import permissions
from certeval.campaigns.models import Organisation
from certeval.campaigns.organisation_forms import (
    OrganisationCampaignForm,
    OrganisationForm,
    OrganisationMemberForm,
    OrganisationMemberRemoveForm,
)
from certeval.campaigns.organisation_permissions import can_create_organisation, organisations_managed
from certeval.campaigns.services import CampaignError


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Organisations certificatrices"), reverse("campaigns:organisations")), *extra]


@login_required
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisations the user manages; administrators create them here."""
    visible = list(organisations_managed(request.user).select_related("academy"))
    if not visible and not can_create_organisation(request.user):
        raise Http404("Not allowed.")
    form = OrganisationForm(request.POST or None) if can_create_organisation(request.user) else None
    if request.method == "POST":
        if form is None:
            raise Http404("Not allowed.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                organisation = services.organisation_create(
                    actor=request.user, kind=data["kind"], name=data["name"], academy=data["academy"]
                )
            except CampaignError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Organisation créée."))
                return redirect("campaigns:organisation", organisation.pk)
    rows = [
        [
            format_html('<a href="{}">{}</a>', reverse("campaigns:organisation", args=[o.pk]), o.name),
            o.get_kind_display(),
            o.academy.name if o.academy else _("Nationale"),
        ]
        for o in visible
    ]
    return render(
        request,
        "campaigns/organisations/list.html",
        {
            "rows": rows,
            "headers": [_("Organisation"), _("Nature"), _("Académie")],
            "form": form,
            "crumbs": _crumbs(),
        },
    )


def _managed(request: AuthenticatedHttpRequest, organisation_id: int) -> Organisation:
    return get_object_or_404(
        organisations_managed(request.user).select_related("academy"), pk=organisation_id
    )


@login_required
@require_recent_authentication
def organisation_detail(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    """Members (add by e-mail), and the campaigns the organisation scopes."""
    organisation = _managed(request, organisation_id)
    form = OrganisationMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.organisation_member_add(
                actor=request.user,
                organisation=organisation,
                email=data["email"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Membre ajouté : %(email)s.") % {"email": data["email"]})
            return redirect("campaigns:organisation", organisation.pk)
    members = list(organisation.members.select_related("user").order_by("role", "user__email"))
    attachable = list(
        permissions.campaigns_run(request.user).exclude(organisation=organisation).order_by("title")
    )
    campaigns = [
        [
            format_html('<a href="{}">{}</a>', reverse("campaigns:detail", args=[c.pk]), c.title),
            c.get_state_display(),
        ]
        for c in organisation.campaigns.order_by("title")
    ]
    return render(
        request,
        "campaigns/organisations/detail.html",
        {
            "organisation": organisation,
            "form": form,
            "member_rows": [
                [m.user.email, m.user.get_full_name() or "—", m.get_role_display()] for m in members
            ],
            "member_headers": [_("Adresse électronique"), _("Nom"), _("Rôle")],
            "remove_form": OrganisationMemberRemoveForm(members=members) if members else None,
            "campaign_rows": campaigns,
            "campaign_headers": [_("Campagne"), _("État")],
            "campaign_form": OrganisationCampaignForm(campaigns=attachable) if attachable else None,
            "crumbs": _crumbs((organisation.name, "")),
        },
    )


@login_required
@require_POST
def organisation_member_remove(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    organisation = _managed(request, organisation_id)
    members = list(organisation.members.select_related("user"))
    form = OrganisationMemberRemoveForm(request.POST, members=members)
    if not form.is_valid():
        messages.error(request, _("Choisissez un membre à retirer."))
        return redirect("campaigns:organisation", organisation.pk)
    member = next(m for m in members if m.pk == form.cleaned_data["member"])
    try:
        services.organisation_member_remove(actor=request.user, member=member)
    except CampaignError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Rôle retiré à %(email)s.") % {"email": member.user.email})
    return redirect("campaigns:organisation", organisation.pk)


@login_required
@require_POST
def organisation_campaign_attach(request: AuthenticatedHttpRequest, organisation_id: int) -> HttpResponse:
    organisation = _managed(request, organisation_id)
    attachable = list(permissions.campaigns_run(request.user).exclude(organisation=organisation))
    form = OrganisationCampaignForm(request.POST, campaigns=attachable)
    if not form.is_valid():
        messages.error(request, _("Choisissez une campagne que vous organisez."))
        return redirect("campaigns:organisation", organisation.pk)
    campaign = next(c for c in attachable if c.pk == form.cleaned_data["campaign"])
    try:
        services.organisation_campaign_attach(
            actor=request.user, organisation=organisation, campaign=campaign
        )
    except CampaignError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Campagne rattachée à l'organisation."))
    return redirect("campaigns:organisation", organisation.pk)
