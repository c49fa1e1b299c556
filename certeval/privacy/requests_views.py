"""Pages of a person's requests (docs/privacy.md, « Rectification and erasure »).

- ``/donnees-personnelles/mes-demandes/``: the signed-in person's requests, their status, deadline and
  answer; ``effacement/`` and ``rectification/``: file a request.
- ``/donnees-personnelles/demandes/``: every request with its deadline, overdue ones first and
  highlighted; ``demandes/<id>/``: one request and its answer forms. Administrators only (they act for
  the data protection officer); anyone else gets 404. The answers are POST views
  (``accepter/``, ``refuser/``, ``prolonger/``); accepting asks for a recently confirmed password.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404, is_administrator
from certeval.accounts.reauth import require_recent_authentication
from certeval.campaigns.models import Candidate
from certeval.core.body_limits import UPLOAD, body_limit
from certeval.core.dates import paris_text
from certeval.privacy import requests_services as services
from certeval.privacy.erasure_services import KEPT_LABELS, erasure_plan
from certeval.privacy.requests_deadlines import days_left
from certeval.privacy.requests_forms import AnswerForm, ErasureForm, ReasonForm, RectificationForm
from certeval.privacy.requests_models import OPEN_STATUSES, PersonRequest, RectifiableField, RequestKind

REPORT_LABELS = {
    "proctoring_events": gettext_lazy("événements et messages de surveillance supprimés"),
    "test_responses": gettext_lazy("réponses au test en ligne effacées"),
    "dossier_files": gettext_lazy("fichiers de dossier effacés"),
    "enrolment_texts": gettext_lazy("inscriptions dont les textes libres ont été effacés"),
}


def _crumbs(label: str) -> list[tuple[str, str]]:
    return [(_("Mes demandes"), reverse("privacy:requests")), (label, "")]


def report_lines(request: PersonRequest) -> list[str]:
    """The erasure report in French (what was erased, what was kept and why)."""
    report = request.report or {}
    if request.kind == RequestKind.RECTIFICATION:
        return (
            [_("Correction appliquée : %(field)s.") % {"field": request.get_field_display()}]
            if report
            else []
        )
    lines = [f"{report[key]} {label}" for key, label in REPORT_LABELS.items() if key in report]
    if report.get("identity"):
        lines.append(_("Identité remplacée par un pseudonyme, compte fermé."))
    lines.extend(str(KEPT_LABELS[code]) for code in report.get("kept", []) if code in KEPT_LABELS)
    return lines


def _row(request: PersonRequest) -> dict[str, object]:
    left = days_left(request.deadline, timezone.localdate())
    return {
        "request": request,
        "received": paris_text(request.received_at),
        "deadline": request.deadline.strftime("%d/%m/%Y"),
        "left": left,
        "late": -left,
        "overdue": request.is_open and left < 0,
        "answered": paris_text(request.answered_at) if request.answered_at else "",
        "report": report_lines(request),
    }


@login_required
def my_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = [_row(r) for r in PersonRequest.objects.filter(user=request.user).order_by("-received_at", "-pk")]
    return render(request, "privacy/my_requests.html", {"rows": rows, "crumbs": [(_("Mes demandes"), "")]})


@login_required
def erasure(request: AuthenticatedHttpRequest) -> HttpResponse:
    candidate = Candidate.objects.filter(user=request.user).first()
    plan = erasure_plan(candidate)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.erasure_request(by=request.user, reason=form.cleaned_data["reason"])
        except services.RequestRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Votre demande d'effacement est enregistrée."))
            return redirect("privacy:requests")
    return render(
        request,
        "privacy/erasure.html",
        {
            "form": form,
            "candidate": candidate,
            "plan": plan,
            "kept": [
                KEPT_LABELS["audit"],
                *([KEPT_LABELS["holder"]] if plan.holder else []),
                *([KEPT_LABELS["ongoing"]] if plan.ongoing else []),
                *([KEPT_LABELS["staff"]] if plan.staff else []),
            ],
            "crumbs": _crumbs(_("Demande d'effacement")),
        },
    )


@body_limit(UPLOAD)
@login_required
def rectification(request: AuthenticatedHttpRequest) -> HttpResponse:
    candidate = Candidate.objects.filter(user=request.user).first()
    form = RectificationForm(request.POST, request.FILES) if request.method == "POST" else RectificationForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("proof")
        proof = services.Proof(upload.name, upload.size, upload) if upload else None
        try:
            services.rectification_request(
                by=request.user,
                field=form.cleaned_data["field"],
                requested_value=form.cleaned_data["requested_value"],
                reason=form.cleaned_data["reason"],
                proof=proof,
            )
        except services.RequestRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Votre demande de rectification est enregistrée."))
            return redirect("privacy:requests")
    current = (
        [[label, services.current_value(candidate, value)] for value, label in RectifiableField.choices]
        if candidate
        else []
    )
    return render(
        request,
        "privacy/rectification.html",
        {
            "form": form,
            "candidate": candidate,
            "current": current,
            "current_headers": [_("Donnée"), _("Valeur actuelle")],
            "crumbs": _crumbs(_("Demande de rectification")),
        },
    )


@login_required
def proof(request: AuthenticatedHttpRequest, request_id: int) -> FileResponse:
    visible = PersonRequest.objects.exclude(proof_storage="")
    if not is_administrator(request.user):
        visible = visible.filter(user=request.user)
    found = get_visible_or_404(visible, pk=request_id)
    return FileResponse(
        services.proof_open(request=found, by=request.user), as_attachment=True, filename=found.proof_name
    )


def _admin_only(request: AuthenticatedHttpRequest) -> None:
    if not is_administrator(request.user):
        raise Http404("No such page.")


@login_required
def admin_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    _admin_only(request)
    requests = PersonRequest.objects.select_related("user", "candidate")
    open_rows = [_row(r) for r in requests.filter(status__in=OPEN_STATUSES).order_by("deadline", "pk")]
    closed_rows = [_row(r) for r in requests.exclude(status__in=OPEN_STATUSES).order_by("-answered_at")[:200]]
    return render(
        request,
        "privacy/admin_requests.html",
        {"open_rows": open_rows, "closed_rows": closed_rows, "crumbs": [(_("Demandes des personnes"), "")]},
    )


def _admin_request(request: AuthenticatedHttpRequest, request_id: int) -> PersonRequest:
    _admin_only(request)
    return get_visible_or_404(PersonRequest.objects.select_related("user", "candidate"), pk=request_id)


@login_required
def request_detail(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    found = _admin_request(request, request_id)
    return _detail(request, found)


def _detail(request: AuthenticatedHttpRequest, found: PersonRequest, **forms: object) -> HttpResponse:
    plan = erasure_plan(found.candidate) if found.kind == RequestKind.ERASURE else None
    return render(
        request,
        "privacy/request_detail.html",
        {
            "row": _row(found),
            "found": found,
            "plan": plan,
            "accept_form": forms.get("accept_form") or AnswerForm(),
            "refuse_form": forms.get("refuse_form") or ReasonForm(),
            "extend_form": forms.get("extend_form") or ReasonForm(),
            "error": forms.get("error", ""),
            "crumbs": [
                (_("Demandes des personnes"), reverse("privacy:admin_requests")),
                (str(found), ""),
            ],
        },
    )


def _answer(
    request: AuthenticatedHttpRequest,
    request_id: int,
    form: AnswerForm | ReasonForm,
    slot: str,
    act: Callable[[PersonRequest, str], object],
    done: str,
) -> HttpResponse:
    """One answer posted by an administrator: the form checked, the service called, the request's
    page shown again with the error (nothing changed) or a redirect with ``done``."""
    found = _admin_request(request, request_id)
    if form.is_valid():
        try:
            act(found, next(iter(form.cleaned_data.values())))
        except services.RequestRefused as error:
            return _detail(request, found, **{slot: form, "error": str(error)})
        messages.success(request, done)
        return redirect("privacy:request_detail", found.pk)
    return _detail(request, found, **{slot: form})


@login_required
@require_POST
@require_recent_authentication
def request_accept(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    """Erasure is a sensitive action: the administrator's password must have been confirmed
    recently (``accounts.reauth``)."""
    return _answer(
        request,
        request_id,
        AnswerForm(request.POST),
        "accept_form",
        lambda found, text: services.request_accept(request=found, by=request.user, answer=text),
        _("La demande est acceptée ; la personne est prévenue par courriel."),
    )


@require_POST
@login_required
def request_refuse(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    return _answer(
        request,
        request_id,
        ReasonForm(request.POST),
        "refuse_form",
        lambda found, text: services.request_refuse(request=found, by=request.user, reason=text),
        _("La demande est refusée ; la personne reçoit le motif par courriel."),
    )


@require_POST
@login_required
def request_extend(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    return _answer(
        request,
        request_id,
        ReasonForm(request.POST),
        "extend_form",
        lambda found, text: services.request_extend(request=found, by=request.user, reason=text),
        _("Le délai est prolongé de deux mois ; la personne est prévenue."),
    )
