"""Pages of the peer review (seed 004, §5.2).

- The candidate's page (``/mes-certifications/<id>/relecture/``): invite a peer, revoke an
  invitation, read the feedback. The candidate only: anyone else gets 404.
- The peer's page (``/relecture/<signed token>/``): open to whoever holds the link, signed in or
  not. An unknown, altered or too old link answers 404; a revoked invitation or a dossier deposited
  or past its deadline answers a French page saying so (410), and shows nothing of the dossier.
- ``/relectures/``: a signed-in person's invitations (those sent to their account's address).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.models import Enrolment
from certeval.core.dates import paris_text
from certeval.dossiers import peer_services as services
from certeval.dossiers.guide_data import guide_for
from certeval.dossiers.peer_forms import FeedbackForm, InviteForm
from certeval.dossiers.peer_models import PeerFeedback, PeerInvitation
from certeval.dossiers.views import _own_enrolment as own_enrolment
from certeval.dossiers.views import file_headers


def invitation_state(invitation: PeerInvitation) -> str:
    if invitation.revoked_at is not None:
        return _("Révoquée le %(date)s") % {"date": paris_text(invitation.revoked_at)}
    if services.closed_reason(invitation, now=timezone.now()) is not None:
        return _("Close (dossier déposé ou date limite passée)")
    return _("En cours")


def feedback_rows(
    enrolment: Enrolment, feedback: list[PeerFeedback], *, with_peer: bool = True
) -> list[list[object]]:
    rows: list[list[object]] = []
    for item in feedback:
        row: list[object] = [paris_text(item.created_at)]
        if with_peer:
            row.append(item.invitation.peer_label)
        row += [services.section_label(enrolment, item.section), item.text]
        rows.append(row)
    return rows


@login_required
def peer_review(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = own_enrolment(request, enrolment_id)
    now = timezone.now()
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.peer_invite(
                enrolment=enrolment,
                by=request.user,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                message=form.cleaned_data["message"],
            )
        except services.PeerReviewRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email})
            return redirect("prep:peer_review", enrolment.pk)
    invitations = list(PeerInvitation.objects.filter(enrolment=enrolment))
    order = [code for code, _label in services.section_choices(enrolment)]
    feedback = sorted(
        PeerFeedback.objects.filter(invitation__enrolment=enrolment).select_related("invitation"),
        key=lambda f: (order.index(f.section) if f.section in order else len(order), f.created_at),
    )
    return render(
        request,
        "dossiers/peer/review.html",
        {
            "crumbs": [
                (_("Mes certifications"), reverse("dossiers:mine")),
                (_("Dépôt du dossier"), reverse("dossiers:deposit", args=[enrolment.pk])),
                (_("Relecture par les pairs"), ""),
            ],
            "enrolment": enrolment,
            "open": services.draft_open(enrolment, now=now),
            "deadline": paris_text(enrolment.campaign.deposit_deadline),
            "form": form,
            "max_invitations": services.max_invitations(),
            "active_count": services.active_invitations(enrolment),
            "invitations": [
                (i, invitation_state(i), paris_text(i.invited_at), services.closed_reason(i, now=now) is None)
                for i in invitations
            ],
            "feedback_headers": [_("Date"), _("Pair"), _("Rubrique"), _("Avis")],
            "feedback_rows": feedback_rows(enrolment, feedback),
        },
    )


@login_required
@require_POST
def peer_revoke(request: AuthenticatedHttpRequest, enrolment_id: int, invitation_id: int) -> HttpResponse:
    enrolment = own_enrolment(request, enrolment_id)
    invitation = get_visible_or_404(PeerInvitation.objects.filter(enrolment=enrolment), pk=invitation_id)
    try:
        services.peer_revoke(invitation=invitation, by=request.user)
    except services.PeerReviewRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("L'invitation de %(email)s est révoquée.") % {"email": invitation.email})
    return redirect("prep:peer_review", enrolment.pk)


def _by_token(token: str) -> PeerInvitation:
    invitation = services.invitation_from_token(token)
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def _closed(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "dossiers/peer/closed.html", {"message": message}, status=410)


def peer_read(request: HttpRequest, token: str) -> HttpResponse:
    """The peer's page: the draft's files, the dossier's expected sections, the feedback form."""
    invitation = _by_token(token)
    enrolment = invitation.enrolment
    reason = services.closed_reason(invitation, now=timezone.now())
    if reason:
        return _closed(request, reason)
    sections = services.section_choices(enrolment)
    form = FeedbackForm(request.POST if request.method == "POST" else None, sections=sections)
    if request.method == "POST" and form.is_valid():
        try:
            services.peer_feedback_add(
                invitation=invitation,
                section=form.cleaned_data["section"],
                text=form.cleaned_data["text"],
                by=request.user if request.user.is_authenticated else None,
            )
        except services.PeerReviewRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Merci : votre avis est transmis au candidat."))
            return redirect("prep:peer_read", token)
    files = services.peer_files(invitation)
    guide = guide_for(enrolment.campaign.framework_version.framework_id)
    structure = next((p for p in guide.parts if p.id == guide.feedback_part), None) if guide else None
    mine = list(invitation.feedback.all())
    return render(
        request,
        "dossiers/peer/read.html",
        {
            "invitation": invitation,
            "enrolment": enrolment,
            "candidate": enrolment.candidate.display_name,
            "deadline": paris_text(enrolment.campaign.deposit_deadline),
            "file_headers": file_headers()[:4],
            "file_rows": [
                [
                    f.title,
                    (reverse("prep:peer_file", args=[token, f.pk]), f.name),
                    f.get_kind_display(),
                    f.size,
                ]
                for f in files
            ],
            "structure": structure,
            "form": form,
            "mine_headers": [_("Date"), _("Rubrique"), _("Avis")],
            "mine_rows": feedback_rows(enrolment, mine, with_peer=False),
        },
    )


@require_GET
def peer_file(request: HttpRequest, token: str, file_id: int) -> HttpResponseBase:
    invitation = _by_token(token)
    reason = services.closed_reason(invitation, now=timezone.now())
    if reason:
        return _closed(request, reason)
    stored = services.peer_file_open(
        invitation=invitation,
        file_id=file_id,
        by=request.user if request.user.is_authenticated else None,
    )
    if stored is None:
        raise Http404("No such file.")
    return FileResponse(
        services.open_stream(stored),
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )


@login_required
@require_GET
def my_reviews(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The invitations sent to the signed-in person's address, with their links while open."""
    now = timezone.now()
    invitations = PeerInvitation.objects.filter(email__iexact=request.user.email).select_related(
        "enrolment__campaign", "enrolment__candidate"
    )
    rows = []
    for invitation in invitations:
        open_ = services.closed_reason(invitation, now=now) is None
        rows.append(
            (
                invitation,
                invitation.enrolment.candidate.display_name,
                invitation.enrolment.campaign.title,
                paris_text(invitation.enrolment.campaign.deposit_deadline),
                invitation_state(invitation),
                reverse("prep:peer_read", args=[services.invitation_token(invitation)]) if open_ else "",
                invitation.feedback.count(),
            )
        )
    return render(
        request, "dossiers/peer/mine.html", {"rows": rows, "crumbs": [(_("Dossiers à relire"), "")]}
    )
