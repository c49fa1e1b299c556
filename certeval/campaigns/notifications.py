"""French e-mails: enrolment, convocation, deadline reminder (candidates), role granted (staff).

They are sent by a background task after the transaction commits, with ids only; the receipt
e-mail lives with the receipts (``certeval.dossiers.tasks``).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from certeval.accounts.links import password_set_url, site_url
from certeval.core.dates import paris_text

KINDS = ("enrolment", "convocation", "deadline_reminder")


def enqueue(*, kind: str, enrolment_id: int) -> None:
    if kind not in KINDS:
        raise ValueError(f"Unknown notification {kind!r}")
    transaction.on_commit(partial(send_candidate_email.enqueue, kind, enrolment_id))


def candidate_email(kind: str, enrolment_id: int) -> EmailMessage:
    """Build (without sending) the e-mail of one kind for one enrolment."""
    from certeval.campaigns.models import Enrolment

    enrolment = Enrolment.objects.select_related("candidate__user", "campaign", "session").get(
        pk=enrolment_id
    )
    user = enrolment.candidate.user
    context: dict[str, Any] = {
        "enrolment": enrolment,
        "candidate": enrolment.candidate,
        "campaign": enrolment.campaign,
        "session": enrolment.session,
        "deadline": paris_text(enrolment.campaign.deposit_deadline),
        "dossier_url": site_url(reverse("dossiers:deposit", args=[enrolment.pk])),
        "login_url": site_url(reverse("accounts:login")),
    }
    if kind in ("enrolment", "deadline_reminder") and not user.has_usable_password():
        context["password_url"] = password_set_url(user)
    subject = render_to_string(f"campaigns/emails/{kind}_subject.txt", context).strip()
    body = render_to_string(f"campaigns/emails/{kind}_body.txt", context)
    return EmailMessage(subject=subject, body=body, to=[enrolment.candidate.email])


@task()
def send_candidate_email(kind: str, enrolment_id: int) -> None:
    candidate_email(kind, enrolment_id).send()


def enqueue_role_granted(*, role_id: int) -> None:
    transaction.on_commit(partial(send_role_email.enqueue, role_id))


def role_email(role_id: int) -> EmailMessage:
    """Build the e-mail telling someone they hold a role on a campaign; a person without a
    password gets the link to choose one."""
    from certeval.campaigns.models import CampaignRole

    grant = CampaignRole.objects.select_related("user", "campaign", "academy", "session").get(pk=role_id)
    user = grant.user
    context: dict[str, Any] = {
        "grant": grant,
        "user": user,
        "campaign": grant.campaign,
        "login_url": site_url(reverse("accounts:login")),
    }
    if not user.has_usable_password():
        context["password_url"] = password_set_url(user)
    subject = render_to_string("campaigns/emails/role_granted_subject.txt", context).strip()
    body = render_to_string("campaigns/emails/role_granted_body.txt", context)
    return EmailMessage(subject=subject, body=body, to=[user.email])


@task()
def send_role_email(role_id: int) -> None:
    role_email(role_id).send()
