"""The access export as a readable PDF (WeasyPrint, French, tagged PDF/UA-1 like the attestations):
the same sections as the JSON export, as headings, lists and tables."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import override

PDF_VARIANT = "pdf/ua-1"


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} Mo".replace(".", ",")
    if size >= 1024:
        return f"{size / 1024:.0f} ko"
    return f"{size} o"


def access_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    for dossier in data["dossiers"]:
        for f in dossier["files"]:
            f["size_text"] = size_text(int(f["size"]))
    with override("fr"):
        html = render_to_string("privacy/mine_pdf.html", {"data": data})
    return bytes(HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT))
