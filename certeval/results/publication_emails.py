"""The e-mail telling a candidate their result is published (their session's publication or the
campaign's). Sent by a background task after the transaction commits, with ids only, like the
other e-mails (``certeval.campaigns.notifications``). It says where to read the result, never the
decision itself."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from certeval.accounts.links import site_url


def enqueue_result_emails(enrolment_ids: Iterable[int]) -> None:
    for enrolment_id in enrolment_ids:
        transaction.on_commit(partial(send_result_email.enqueue, enrolment_id))


def result_email(enrolment_id: int) -> EmailMessage:
    """Build (without sending) the e-mail of one candidate whose result is published."""
    from certeval.campaigns.models import Enrolment

    enrolment = Enrolment.objects.select_related("candidate", "campaign").get(pk=enrolment_id)
    context = {
        "enrolment": enrolment,
        "candidate": enrolment.candidate,
        "campaign": enrolment.campaign,
        "result_url": site_url(reverse("results:result", args=[enrolment.pk])),
    }
    subject = render_to_string("results/emails/result_published_subject.txt", context).strip()
    body = render_to_string("results/emails/result_published_body.txt", context)
    return EmailMessage(subject=subject, body=body, to=[enrolment.candidate.email])


@task()
def send_result_email(enrolment_id: int) -> None:
    result_email(enrolment_id).send()
