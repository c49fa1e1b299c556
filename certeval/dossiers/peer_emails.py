"""The e-mail inviting a peer to read a draft dossier, sent by the task worker once the invitation's
transaction commits, with the invitation's id only (as ``campaigns.notifications`` does)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from certeval.accounts.links import site_url
from certeval.core.dates import paris_text


def enqueue_invitation(invitation_id: int) -> None:
    transaction.on_commit(partial(send_peer_invitation.enqueue, invitation_id))


def invitation_email(invitation_id: int) -> EmailMessage:
    """Build (without sending) the invitation e-mail, with a fresh signed link."""
    from certeval.dossiers.peer_models import PeerInvitation
    from certeval.dossiers.peer_services import invitation_token

    invitation = PeerInvitation.objects.select_related("enrolment__campaign", "enrolment__candidate").get(
        pk=invitation_id
    )
    enrolment = invitation.enrolment
    context: dict[str, Any] = {
        "invitation": invitation,
        "candidate": enrolment.candidate,
        "campaign": enrolment.campaign,
        "deadline": paris_text(enrolment.campaign.deposit_deadline),
        "review_url": site_url(reverse("prep:peer_read", args=[invitation_token(invitation)])),
    }
    subject = render_to_string("dossiers/emails/peer_invitation_subject.txt", context).strip()
    body = render_to_string("dossiers/emails/peer_invitation_body.txt", context)
    return EmailMessage(subject=subject, body=body, to=[invitation.email])


@task()
def send_peer_invitation(invitation_id: int) -> None:
    from certeval.audit.services import audit_record
    from certeval.dossiers.peer_models import PeerInvitation

    invitation = PeerInvitation.objects.filter(pk=invitation_id).first()
    if invitation is None or invitation.revoked_at is not None:
        return  # revoked before the worker got to it: nothing to send
    invitation_email(invitation_id).send()
    with transaction.atomic():
        audit_record(
            actor=None,
            action="dossier.peer_invitation_email",
            target=invitation,
            data={"to": [invitation.email]},
        )
