"""The candidate's declared-evidence section of the deposit page (htmx: the section is redrawn in
place; without JavaScript the page is reloaded)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.campaigns.deadlines import is_on_time
from certeval.campaigns.models import Enrolment
from certeval.dossiers import selectors
from certeval.dossiers.evidence_forms import DeclarationForm
from certeval.dossiers.evidence_selectors import (
    current_declarations,
    declarable_requirements,
    evidence_groups,
)
from certeval.dossiers.evidence_services import evidence_declare, evidence_withdraw
from certeval.dossiers.models import Dossier, DossierFile, EvidenceDeclaration
from certeval.dossiers.services import DepositRefused


def evidence_context(
    enrolment: Enrolment,
    dossier: Dossier,
    files: list[DossierFile],
    *,
    form: DeclarationForm | None = None,
    error: str = "",
) -> dict[str, Any]:
    """What ``dossiers/_evidence.html`` shows: the groups, what is missing, the form."""
    requirements = declarable_requirements(enrolment.campaign.framework_version)
    declarations = current_declarations(dossier)
    groups, missing = evidence_groups(requirements, declarations)
    editable = (
        not dossier.is_frozen
        and is_on_time(now=timezone.now(), deadline=enrolment.campaign.deposit_deadline)
        and bool(requirements)
    )
    if form is None and editable and files:
        form = DeclarationForm(requirements=requirements, files=files)
    return {
        "enrolment": enrolment,
        "groups": groups,
        "missing": missing,
        "evidence_editable": editable,
        "evidence_form": form if editable else None,
        "evidence_error": error,
    }


def _enrolment(request: AuthenticatedHttpRequest, enrolment_id: int) -> Enrolment:
    from certeval.dossiers.views import _own_enrolment

    return _own_enrolment(request, enrolment_id)


def _answer(
    request: AuthenticatedHttpRequest,
    enrolment: Enrolment,
    *,
    form: DeclarationForm | None = None,
    error: str = "",
    success: str = "",
) -> HttpResponse:
    """htmx: the section redrawn; otherwise the deposit page (with the bound form on error)."""
    dossier = selectors.dossier_for_display(enrolment)
    files = selectors.current_files(selectors.dossier_of(enrolment))
    if request.headers.get("HX-Request"):
        context = evidence_context(enrolment, dossier, files, form=form, error=error)
        context["evidence_success"] = success
        return render(request, "dossiers/_evidence.html", context)
    if success:
        messages.success(request, success)
        return redirect("dossiers:deposit", enrolment.pk)
    if error:
        messages.error(request, error)
    from certeval.dossiers.views import deposit_page

    return deposit_page(request, enrolment, evidence_form=form)


@login_required
@require_POST
def declare(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _enrolment(request, enrolment_id)
    requirements = declarable_requirements(enrolment.campaign.framework_version)
    if not requirements:
        raise Http404("No declarable evidence for this certification.")
    files = selectors.current_files(selectors.dossier_of(enrolment))
    form = DeclarationForm(request.POST, requirements=requirements, files=files)
    if not files:
        return _answer(
            request, enrolment, error=_("Déposez d'abord un fichier : une preuve pointe vers lui.")
        )
    if not form.is_valid():
        return _answer(request, enrolment, form=form)
    try:
        evidence_declare(enrolment=enrolment, by=request.user, given=form.declared())
    except DepositRefused as refused:
        form.add_error(None, str(refused))
        return _answer(request, enrolment, form=form)
    return _answer(request, enrolment, success=_("Preuve déclarée."))


@login_required
@require_POST
def withdraw(request: AuthenticatedHttpRequest, enrolment_id: int, declaration_id: int) -> HttpResponse:
    enrolment = _enrolment(request, enrolment_id)
    declaration = EvidenceDeclaration.objects.filter(
        pk=declaration_id, dossier__enrolment=enrolment, withdrawn_at__isnull=True
    ).first()
    if declaration is None:
        raise Http404("No such declaration.")
    try:
        evidence_withdraw(declaration=declaration, by=request.user)
    except DepositRefused as refused:
        return _answer(request, enrolment, error=str(refused))
    return _answer(request, enrolment, success=_("Preuve retirée (elle reste archivée)."))
