"""The register of processing activities (RGPD art. 30) for administrators, who hand it to the
controller's DPO: the page and its CSV and JSON downloads (the same data as ``certeval privacy
register``). Anyone else gets 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import is_administrator
from certeval.core.privacy_notices import controller
from certeval.privacy.register_selectors import register_csv, register_json, register_rows


def _administrator(request: AuthenticatedHttpRequest) -> None:
    if not is_administrator(request.user):
        raise Http404("No such page.")


@login_required
@require_GET
def register_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    _administrator(request)
    return render(
        request,
        "privacy/register.html",
        {
            "entries": register_rows(),
            "controller": controller(),
            "crumbs": [(_("Registre des traitements"), "")],
        },
    )


def _download(text: str, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type=content_type)
    name = f"registre-des-traitements-{timezone.localdate():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def register_csv_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    _administrator(request)
    return _download(register_csv(), "text/csv; charset=utf-8", "csv")


@login_required
@require_GET
def register_json_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    _administrator(request)
    return _download(register_json(), "application/json; charset=utf-8", "json")
