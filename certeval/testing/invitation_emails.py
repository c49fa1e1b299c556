"""The invitation e-mail to a campaign's placement run, sent by the task worker after the
transaction commits, with the invitation's id only (as ``campaigns.notifications`` does). A person
without a password gets the link to choose one, as at enrolment."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from certeval.accounts.links import password_set_url, site_url
from certeval.accounts.models import User


def enqueue_invitation(invitation_id: int) -> None:
    transaction.on_commit(partial(send_invitation_email.enqueue, invitation_id))


def invitation_email(invitation_id: int) -> EmailMessage:
    """Build (without sending) the invitation e-mail."""
    from certeval.testing.models import PlacementInvitation

    invitation = PlacementInvitation.objects.select_related("campaign", "invited_by").get(pk=invitation_id)
    user = User.objects.filter(email=invitation.email).first()
    context: dict[str, Any] = {
        "invitation": invitation,
        "campaign": invitation.campaign,
        "invitation_url": site_url(reverse("invitations:accept", args=[invitation.token])),
        "login_url": site_url(reverse("accounts:login")),
    }
    if user is not None and not user.has_usable_password():
        context["password_url"] = password_set_url(user)
    subject = render_to_string("testing/emails/invitation_subject.txt", context).strip()
    body = render_to_string("testing/emails/invitation_body.txt", context)
    return EmailMessage(subject=subject, body=body, to=[invitation.email])


@task()
def send_invitation_email(invitation_id: int) -> None:
    from certeval.testing.models import PlacementInvitation

    invitation = PlacementInvitation.objects.filter(pk=invitation_id).first()
    if invitation is None or invitation.revoked_at is not None:
        return  # revoked before the worker got to it: nothing to send
    invitation_email(invitation_id).send()
