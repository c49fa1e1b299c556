"""Pages of placement-run invitations.

- The organiser's page of a campaign (``tests-en-ligne/invitations/campagne/<id>/``): invite
  several addresses at once, the invitations in their scope with their state, revoke one not
  accepted yet. Out of scope, or a campaign without a placement run: 404.
- The invitee's page (``tests-en-ligne/invitation/<token>/``): anonymous visitors sign in first
  (and come back); the invited person (the address, case ignored) gives their degree and, when they
  have none, their identity, then starts or resumes the placement run of the campaign's bank. An
  unknown token and anyone else answer 404; a revoked invitation or a campaign no longer open
  answers a page that says so.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.campaigns.models import Candidate, Enrolment
from certeval.core.dates import paris_text
from certeval.testing import invitation_selectors as selectors
from certeval.testing.errors import TestingError
from certeval.testing.invitation_forms import AcceptForm, InviteForm
from certeval.testing.invitation_services import (
    IdentityInput,
    invitation_accept,
    invitation_revoke,
    invitations_send,
)
from certeval.testing.models import PlacementInvitation, Run
from certeval.testing.run_services import placement_start


def state_label(invitation: PlacementInvitation) -> str:
    if invitation.revoked_at is not None:
        return _("Révoquée le %(date)s") % {"date": paris_text(invitation.revoked_at)}
    if invitation.accepted_at is not None:
        return _("Acceptée le %(date)s") % {"date": paris_text(invitation.accepted_at)}
    return _("Envoyée le %(date)s") % {"date": paris_text(invitation.created_at)}


@login_required
def campaign_invitations(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    user = request.user
    campaign, _bank = selectors.campaign_or_404(user, campaign_id)
    campaign_wide = selectors.academy_scope(user, campaign) is None
    form = InviteForm(
        request.POST if request.method == "POST" else None,
        academies=selectors.academies_for(user, campaign),
        campaign_wide=campaign_wide,
    )
    if request.method == "POST" and form.is_valid():
        try:
            sent = invitations_send(
                actor=user,
                campaign=campaign,
                text=form.cleaned_data["emails"],
                academy=form.cleaned_data["academy"],
            )
        except TestingError as error:
            form.add_error("emails", str(error))
            for reason in error.reasons:
                form.add_error("emails", reason)
        else:
            if sent.invitations:
                messages.success(
                    request,
                    _("%(n)s invitation(s) envoyée(s) au parcours bilan.") % {"n": len(sent.invitations)},
                )
            if sent.ignored:
                messages.warning(
                    request,
                    _("Adresse(s) déjà invitée(s) ou donnée(s) deux fois, ignorée(s) : %(emails)s.")
                    % {"emails": ", ".join(sent.ignored)},
                )
            return redirect("invitations:campaign", campaign.pk)
    invitations = [
        {"invitation": i, "state": state_label(i)} for i in selectors.invitations_in_scope(user, campaign)
    ]
    return render(
        request,
        "testing/invitations/campaign.html",
        {
            "campaign": campaign,
            "form": form,
            "open": campaign.state in selectors.INVITING_STATES,
            "invitations": invitations,
            "campaign_wide": campaign_wide,
            "crumbs": [
                (_("Campagnes"), reverse("campaigns:list")),
                (campaign.title, reverse("campaigns:detail", args=[campaign.pk])),
                (_("Invitations au parcours bilan"), ""),
            ],
        },
    )


@login_required
@require_POST
def revoke(request: AuthenticatedHttpRequest, campaign_id: int, invitation_id: int) -> HttpResponse:
    campaign, _bank = selectors.campaign_or_404(request.user, campaign_id)
    invitation = selectors.invitation_in_scope_or_404(request.user, campaign, invitation_id)
    try:
        invitation_revoke(actor=request.user, invitation=invitation)
    except TestingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("L'invitation de %(email)s est révoquée.") % {"email": invitation.email})
    return redirect("invitations:campaign", campaign.pk)


def _closed(request: AuthenticatedHttpRequest, invitation: PlacementInvitation, message: str) -> HttpResponse:
    return render(
        request,
        "testing/invitations/closed.html",
        {"invitation": invitation, "message": message, "crumbs": [(_("Invitation au parcours bilan"), "")]},
        status=410,
    )


@login_required
def accept(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    invitation = selectors.by_token(token)
    if invitation is None or not selectors.is_invitee(request.user, invitation):
        raise Http404("No such invitation.")
    campaign = invitation.campaign
    bank = selectors.bank_of(campaign)
    if bank is None:
        raise Http404("No placement run.")
    if invitation.revoked_at is not None:
        return _closed(
            request,
            invitation,
            _("Cette invitation a été révoquée : elle ne donne plus accès au parcours bilan."),
        )
    if campaign.state not in selectors.INVITING_STATES:
        return _closed(
            request,
            invitation,
            _(
                "La campagne « %(title)s » n'est plus ouverte : cette invitation ne donne plus accès au parcours bilan."
            )
            % {"title": campaign.title},
        )
    has_identity = Candidate.objects.filter(user=request.user).exists()
    accepted = invitation.accepted_at is not None
    form = AcceptForm(
        request.POST if request.method == "POST" and not accepted else None,
        with_identity=not has_identity,
        initial={"school_level": invitation.school_level},
    )
    if request.method == "POST" and (accepted or form.is_valid()):
        try:
            if not accepted:
                data = form.cleaned_data
                identity = (
                    None
                    if has_identity
                    else IdentityInput(
                        birth_name=data["birth_name"],
                        usual_name=data["usual_name"],
                        first_names=data["first_names"],
                        birth_date=data["birth_date"],
                        birth_place=data["birth_place"],
                    )
                )
                invitation_accept(
                    actor=request.user,
                    invitation=invitation,
                    school_level=data["school_level"],
                    identity=identity,
                )
            run = placement_start(actor=request.user, bank=bank)
        except TestingError as error:
            form.add_error(None, str(error))
        else:
            if run.status == Run.Status.FINISHED:
                return redirect("runs:result", run.pk)
            return redirect("runs:question", run.pk)
    enrolled = Enrolment.objects.filter(candidate__user=request.user, campaign=campaign).exists()
    return render(
        request,
        "testing/invitations/accept.html",
        {
            "invitation": invitation,
            "campaign": campaign,
            "form": form,
            "accepted": accepted,
            "has_identity": has_identity,
            "enrolled": enrolled,
            "crumbs": [(_("Invitation au parcours bilan"), "")],
        },
    )
