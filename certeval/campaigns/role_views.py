"""Staff pages of a campaign: the roles granted and withdrawn, and the dossiers a reviewer has to read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.models import User
from certeval.accounts.reauth import require_recent_authentication
from certeval.campaigns import permissions, services
from certeval.campaigns.forms import (
    RoleGrantForm,
    RoleRevokeForm,
)
from certeval.campaigns.models import Campaign, ReviewerAssignment
from certeval.campaigns.views import campaign_crumbs, managed_campaign


@login_required
@require_GET
def reviews(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The dossiers a juror or jury president has been assigned to read."""
    assignments = ReviewerAssignment.objects.filter(user=request.user).select_related(
        "enrolment__candidate", "enrolment__campaign", "enrolment__dossier"
    )
    rows = [
        [
            format_html(
                '<a href="{}">{}</a>',
                reverse("campaigns:enrolment", args=[a.enrolment_id]),
                a.enrolment.candidate.display_name,
            ),
            a.enrolment.campaign.title,
            a.get_role_display(),
            a.enrolment.dossier.get_state_display(),
        ]
        for a in assignments
    ]
    return render(
        request,
        "campaigns/reviews.html",
        {"rows": rows, "headers": [_("Candidat"), _("Campagne"), _("Rôle"), _("Dossier")]},
    )


def _academy_scopes(user: User, campaign: Campaign) -> set[int] | None:
    """None when the user grants every role on the campaign, else the academies they are limited to."""
    if permissions.can_grant_role(user, campaign, "juror", None):
        return None
    return {
        a
        for a in campaign.roles.filter(user=user, role="organiser").values_list("academy_id", flat=True)
        if a
    }


@login_required
@require_recent_authentication
def campaign_roles(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """Grant staff roles on a campaign by e-mail address, and list and withdraw them."""
    user = request.user
    campaign = managed_campaign(request, campaign_id)
    form = RoleGrantForm(
        request.POST or None, campaign=campaign, academy_scopes=_academy_scopes(user, campaign)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        academy = data.get("academy")
        if not permissions.can_grant_role(user, campaign, data["role"], academy.pk if academy else None):
            raise Http404("Not allowed.")
        try:
            services.campaign_role_grant_by_email(
                campaign=campaign,
                email=data["email"],
                role=data["role"],
                by=user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                academy=academy,
                session=data.get("session"),
            )
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Rôle attribué à %(email)s ; un courriel l'en informe.") % {"email": data["email"]}
            )
            return redirect("campaigns:roles", campaign.pk)
    revocable = list(
        permissions.campaign_roles_revocable(user, campaign).select_related("user").order_by("user__email")
    )
    grants = campaign.roles.select_related("user", "academy", "session").order_by("role", "user__email")
    rows = [
        [
            g.user.email,
            g.user.get_full_name() or "—",
            g.get_role_display(),
            _("Académie de %(name)s") % {"name": g.academy.name}
            if g.academy
            else (g.session.label if g.session else _("Toute la campagne")),
        ]
        for g in grants
    ]
    return render(
        request,
        "campaigns/roles.html",
        {
            "campaign": campaign,
            "form": form,
            "rows": rows,
            "headers": [_("Adresse électronique"), _("Nom"), _("Rôle"), _("Limité à")],
            "revoke_form": RoleRevokeForm(grants=revocable) if revocable else None,
            "crumbs": campaign_crumbs(campaign, (_("Rôles"), "")),
        },
    )


@login_required
@require_POST
def campaign_role_revoke(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = managed_campaign(request, campaign_id)
    revocable = list(permissions.campaign_roles_revocable(request.user, campaign).select_related("user"))
    form = RoleRevokeForm(request.POST, grants=revocable)
    if not form.is_valid():
        messages.error(request, _("Choisissez un rôle à retirer."))
        return redirect("campaigns:roles", campaign.pk)
    grant = next(g for g in revocable if g.pk == form.cleaned_data["grant"])
    try:
        services.campaign_role_revoke(grant=grant, by=request.user)
    except services.CampaignError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Rôle retiré à %(email)s.") % {"email": grant.user.email})
    return redirect("campaigns:roles", campaign.pk)
