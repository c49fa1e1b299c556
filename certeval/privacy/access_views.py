"""« Mes données » (``/donnees-personnelles/mes-donnees/``): every signed-in person's access to their
own data (RGPD art. 15) — the page, the JSON export and a readable PDF (WeasyPrint). Each download
is audited (``privacy.access_export``), so the request and its answer are on record. The section
« Vos demandes » gathers the person's requests (docs/privacy.md, « Access »)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.audit.services import audit_record
from certeval.core.privacy_notices import processings
from certeval.privacy.access_pdf import access_pdf
from certeval.privacy.access_selectors import access_export


def _record(request: AuthenticatedHttpRequest, fmt: str) -> None:
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action="privacy.access_export",
            target=request.user,
            data={"format": fmt},
            campaign=None,
            person=request.user,
        )


def _filename(extension: str) -> str:
    return f"mes-donnees-certeval-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
@require_GET
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = access_export(request.user)
    counts = [
        (_("Inscriptions"), len(data["enrolments"])),
        (_("Épreuves surveillées"), len(data["test_sittings"])),
        (_("Dossiers"), len(data["dossiers"])),
        (_("Décisions publiées"), len(data["decisions"])),
        (_("Attestations et badges"), len(data["awards"])),
        (_("Actions enregistrées à votre sujet"), len(data["audit"])),
        (_("Consultations de votre dossier"), len(data["consultations"])),
    ]
    return render(
        request,
        "privacy/mine.html",
        {
            "data": data,
            "counts": counts,
            "processings": processings(),
            "crumbs": [(_("Mes données"), "")],
        },
    )


@login_required
@require_GET
def mine_json(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = access_export(request.user)
    _record(request, "json")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
    return response


@login_required
@require_GET
def mine_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    pdf = access_pdf(access_export(request.user))
    _record(request, "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename("pdf")}"'
    return response
