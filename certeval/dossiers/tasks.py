"""Background work of dossiers: the receipt PDF and its e-mail, after the freeze commits."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from certeval.accounts.links import site_url
from certeval.audit.services import audit_record
from certeval.dossiers.receipts import receipt_context
from certeval.dossiers.services import receipt_issue


@task()
def issue_receipt(dossier_id: int) -> None:
    """Generate the receipt PDF and e-mail it to the candidate with the list of files and hashes."""
    receipt = receipt_issue(dossier_id=dossier_id)
    dossier = receipt.dossier
    context = receipt_context(dossier) | {
        "receipt_url": site_url(reverse("dossiers:receipt", args=[dossier.enrolment_id]))
    }
    message = EmailMessage(
        subject=render_to_string("dossiers/emails/receipt_subject.txt", context).strip(),
        body=render_to_string("dossiers/emails/receipt_body.txt", context),
        to=[dossier.enrolment.candidate.email],
    )
    with default_storage.open(receipt.storage_name, "rb") as pdf:
        message.attach(f"recepisse-dossier-{dossier.pk}.pdf", pdf.read(), "application/pdf")
    message.send()
    with transaction.atomic():
        audit_record(actor=None, action="dossier.receipt_email", target=dossier, data={"to": message.to})
