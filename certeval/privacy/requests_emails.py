"""The e-mails of a person's request: to the person when it is received, extended and answered, and
to the administrators (acting for the data protection officer) when it is received. Sent by the task
worker once the transaction commits, with ids only."""

from __future__ import annotations

from functools import partial

from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from certeval.accounts.links import site_url

STEPS = ("received", "extended", "answered")


def enqueue(request_id: int, step: str) -> None:
    if step not in STEPS:
        raise ValueError(f"Unknown step {step!r}")
    transaction.on_commit(partial(send_request_emails.enqueue, request_id, step))


def request_emails(request_id: int, step: str) -> list[EmailMessage]:
    from certeval.accounts.models import User
    from certeval.privacy.requests_models import PersonRequest

    request = PersonRequest.objects.select_related("user").get(pk=request_id)
    values = {
        "kind": request.get_kind_display().lower(),
        "number": request.pk,
        "deadline": request.deadline.strftime("%d/%m/%Y"),
        "status": request.get_status_display().lower(),
        "url": site_url(reverse("privacy:requests")),
    }
    if step == "received":
        body = (
            _(
                "Bonjour,\n\nVotre demande de %(kind)s n° %(number)s a bien été reçue. Elle recevra une réponse "
                "au plus tard le %(deadline)s (un mois, RGPD article 12). Vous suivez son état dans votre "
                "espace : %(url)s\n\nCertEval"
            )
            % values
        )
    elif step == "extended":
        body = _(
            "Bonjour,\n\nLe délai de réponse à votre demande de %(kind)s n° %(number)s est prolongé "
            "jusqu'au %(deadline)s, pour la raison suivante :\n\n%(reason)s\n\nVotre espace : %(url)s\n\n"
            "CertEval"
        ) % {**values, "reason": request.extension_reason}
    else:
        body = _(
            "Bonjour,\n\nVotre demande de %(kind)s n° %(number)s a reçu sa réponse : %(status)s.\n\n"
            "%(answer)s\n\nLe détail est dans votre espace : %(url)s\n\nVous pouvez aussi saisir la CNIL "
            "(www.cnil.fr).\n\nCertEval"
        ) % {**values, "answer": request.answer}
    subject = _("Votre demande de %(kind)s n° %(number)s") % values
    messages = []
    if not request.user.email.endswith(".invalid"):
        messages.append(EmailMessage(subject=subject, body=body, to=[request.user.email]))
    if step == "received":
        admins = sorted(
            User.objects.filter(is_superuser=True, is_active=True).values_list("email", flat=True)
        )
        if admins:
            messages.append(
                EmailMessage(
                    subject=_("Nouvelle demande de %(kind)s n° %(number)s (réponse avant le %(deadline)s)")
                    % values,
                    body=_("Bonjour,\n\nUne demande attend sa réponse : %(url)s\n\nCertEval")
                    % {"url": site_url(reverse("privacy:request_detail", args=[request.pk]))},
                    to=admins,
                )
            )
    return messages


@task()
def send_request_emails(request_id: int, step: str) -> None:
    for message in request_emails(request_id, step):
        message.send()
