"""The deposit receipt as a PDF (WeasyPrint): candidate, campaign, freeze time, files, SHA-256, sizes."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import override

from certeval.core.dates import paris_text
from certeval.dossiers.models import Dossier


def receipt_context(dossier: Dossier) -> dict[str, object]:
    files = list(dossier.files.current().order_by("kind", "uploaded_at", "pk"))
    return {
        "dossier": dossier,
        "enrolment": dossier.enrolment,
        "candidate": dossier.enrolment.candidate,
        "campaign": dossier.enrolment.campaign,
        "frozen_at": paris_text(dossier.frozen_at) if dossier.frozen_at else "",
        "files": [{"file": f, "uploaded_at": paris_text(f.uploaded_at)} for f in files],
    }


def receipt_pdf(dossier: Dossier) -> bytes:
    from weasyprint import HTML

    with override("fr"):
        html = render_to_string("dossiers/receipt_pdf.html", receipt_context(dossier))
    return HTML(string=html).write_pdf()
