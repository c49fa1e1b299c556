"""The attestation of an award as a PDF (WeasyPrint, French, tagged PDF/UA-1 so that screen readers
read it in order, with its language, title and the QR code's text alternative)."""

from __future__ import annotations

from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from certeval.results.award_selectors import award_title, verification_url
from certeval.results.models import Award

PDF_VARIANT = "pdf/ua-1"

_HEADINGS = {
    Award.Kind.CERTIFICATION: "Attestation de certification",
    Award.Kind.BLOC: "Attestation de validation d'un bloc de compétences",
    Award.Kind.PLACEMENT: "Attestation de niveau de maîtrise — parcours bilan",
}


def attestation_context(award: Award) -> dict[str, Any]:
    snapshot = award.snapshot or {}
    url = verification_url(award)
    qr = segno.make(url, error="m")
    return {
        "award": award,
        "heading": _HEADINGS[Award.Kind(award.kind)],
        "title": award_title(award),
        "candidate": award.candidate,
        "snapshot": snapshot,
        "level_label": str(snapshot.get("level_label", "")),
        "acquired": [list(row) for row in snapshot.get("acquired", [])],
        "to_work_on": [list(row) for row in snapshot.get("to_work_on", [])],
        "reasons": [str(r) for r in snapshot.get("reasons", [])],
        "verification_url": url,
        "qr_data_uri": qr.svg_data_uri(scale=4, border=2),
        "revoked_on": timezone.localdate(award.revoked_at) if award.revoked_at else None,
    }


def attestation_pdf(award: Award) -> bytes:
    from weasyprint import HTML

    with override("fr"):
        html = render_to_string("results/awards/attestation_pdf.html", attestation_context(award))
    return bytes(HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT))
