"""Candidate pages of the dossier deposit, and permission-checked file downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.audit.labels import action_label
from certeval.audit.models import AuditEvent
from certeval.audit.selectors import dossier_history
from certeval.campaigns import hooks, prerequisites
from certeval.campaigns.deadlines import is_on_time
from certeval.campaigns.models import Enrolment
from certeval.campaigns.permissions import enrolments_own_or_managed, enrolments_visible
from certeval.campaigns.titre_selectors import titre_plan
from certeval.campaigns.titre_views import enrolment_section
from certeval.core.body_limits import MEDIA, body_limit
from certeval.core.dates import paris_text
from certeval.dossiers import permissions, selectors, services
from certeval.dossiers.checks import component_choices, dossier_checks
from certeval.dossiers.evidence_forms import DeclarationForm
from certeval.dossiers.evidence_views import evidence_context
from certeval.dossiers.forms import SubmitForm, UploadForm, WithdrawForm
from certeval.dossiers.models import DossierFile, DossierState, Receipt


def _own_enrolment(request: AuthenticatedHttpRequest, enrolment_id: int) -> Enrolment:
    enrolment = get_visible_or_404(
        enrolments_visible(request.user).select_related("campaign__framework_version", "candidate"),
        pk=enrolment_id,
    )
    if not permissions.can_deposit(request.user, enrolment):
        raise Http404("No such dossier.")
    return enrolment


def file_headers() -> list[str]:
    return [
        _("Intitulé"),
        _("Fichier"),
        _("Nature"),
        _("Taille"),
        _("Pages"),
        _("Caractères"),
        _("Déposé le"),
    ]


def _size(n: int) -> str:
    return filesizeformat(n)


def file_rows(
    files: list[DossierFile], *, with_hash: bool = False, components: dict[str, str] | None = None
) -> list[list[object]]:
    """Table rows of files; ``components`` (id → title) adds the piece of the dossier to the nature."""
    rows: list[list[object]] = []
    for f in files:
        kind = f.get_kind_display()
        if components and f.component in components:
            kind = f"{kind} — {components[f.component]}"
        link = format_html('<a href="{}">{}</a>', reverse("dossiers:file", args=[f.pk]), f.name)
        row: list[object] = [
            f.title,
            link,
            kind,
            _size(f.size),
            "—" if f.page_count is None else f.page_count,
            "—" if f.char_count is None else f.char_count,
            paris_text(f.uploaded_at),
        ]
        if with_hash:
            row.append(format_html('<code class="hash">{}</code>', f.sha256))
        rows.append(row)
    return rows


@login_required
@require_GET
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    enrolments = (
        Enrolment.objects.filter(candidate__user=request.user)
        # The notices of other contexts read the candidate and the référentiel of each enrolment.
        .select_related("candidate", "campaign__framework_version", "dossier", "session")
        .order_by("-campaign__deposit_deadline")
    )
    return render(
        request,
        "dossiers/mine.html",
        {
            "enrolments": [
                (
                    e,
                    paris_text(e.campaign.deposit_deadline),
                    [notice(request, e) for notice in hooks.CANDIDATE_NOTICES],
                )
                for e in enrolments
            ]
        },
    )


@body_limit(MEDIA)
@login_required
def deposit(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _own_enrolment(request, enrolment_id)
    version = enrolment.campaign.framework_version
    plan = titre_plan(enrolment)
    blocs = None if plan is None else plan.blocs
    components = component_choices(version, blocs)
    current = selectors.current_files(selectors.dossier_of(enrolment))
    upload = UploadForm(current=current, components=components)
    if request.method == "POST":
        upload = UploadForm(request.POST, request.FILES, current=current, components=components)
        if upload.is_valid():
            data = upload.cleaned_data
            replaces = next((f for f in current if f.pk == data["replaces"]), None)
            try:
                stored = services.dossier_file_upload(
                    enrolment=enrolment,
                    by=request.user,
                    fileobj=data["file"],
                    original_name=data["file"].name,
                    size=data["file"].size,
                    kind=data["kind"],
                    title=data["title"],
                    link_url=data["link_url"],
                    component=data.get("component", ""),
                    replaces=replaces,
                    content_type=data["file"].content_type,
                )
            except services.DepositRefused as error:
                upload.add_error("file", str(error))
            else:
                messages.success(request, _("Fichier « %(name)s » déposé.") % {"name": stored.name})
                if stored.sanitised_note:
                    messages.warning(request, stored.sanitised_note)
                return redirect("dossiers:deposit", enrolment.pk)
    return deposit_page(request, enrolment, upload=upload)


def deposit_page(
    request: AuthenticatedHttpRequest,
    enrolment: Enrolment,
    *,
    upload: UploadForm | None = None,
    evidence_form: DeclarationForm | None = None,
) -> HttpResponse:
    """The deposit page, with the forms as given (bound, with their errors) or fresh."""
    version = enrolment.campaign.framework_version
    plan = titre_plan(enrolment)
    blocs = None if plan is None else plan.blocs
    components = component_choices(version, blocs)
    current = selectors.current_files(selectors.dossier_of(enrolment))
    upload = upload or UploadForm(current=current, components=components)
    dossier = selectors.dossier_for_display(enrolment)
    deadline = enrolment.campaign.deposit_deadline
    checks = prerequisites.enrolment_checks(enrolment)
    evidence = evidence_context(enrolment, dossier, current, form=evidence_form)
    context = {
        "prerequisite_rows": [
            [c.label, _("Rempli") if c.met else _("Non rempli"), c.explanation] for c in checks
        ],
        "prerequisite_headers": [_("Prérequis"), _("Statut"), _("Explication")],
        "prerequisites_unmet": prerequisites.unmet_message(checks),
        "prerequisite_policy": enrolment.campaign.prerequisite_policy,
        "crumbs": [(_("Mes certifications"), reverse("dossiers:mine")), (_("Dépôt du dossier"), "")],
        "headers": file_headers(),
        "check_headers": [_("Vérification"), _("Résultat"), _("Détail")],
        "past_headers": [_("Intitulé"), _("Fichier"), _("État"), _("Déposé le")],
        "enrolment": enrolment,
        "dossier": dossier,
        "deadline": paris_text(deadline),
        "on_time": is_on_time(now=timezone.now(), deadline=deadline),
        "upload_form": upload,
        "component_field": upload["component"] if components else None,
        "withdraw_form": WithdrawForm(current=current) if current else None,
        "submit_form": SubmitForm(),
        "file_rows": file_rows(current, components=dict(components)),
        "past_rows": [
            [f.title, f.name, _("Remplacé") if f.superseded_at else _("Retiré"), paris_text(f.uploaded_at)]
            for f in selectors.past_versions(dossier)
        ],
        "checks": [
            [
                c.label,
                _("Conforme") if c.ok else (_("À vérifier") if c.ok is None else _("Attention")),
                c.message,
            ]
            for c in dossier_checks(
                version=version, files=current, declarable=bool(evidence["groups"]), blocs=blocs
            )
        ],
        **evidence,
        "titre_section": enrolment_section(
            request, enrolment, next_url=reverse("dossiers:deposit", args=[enrolment.pk])
        )
        if plan is not None
        else "",
    }
    return render(request, "dossiers/deposit.html", context)


@login_required
@require_POST
def withdraw(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _own_enrolment(request, enrolment_id)
    current = selectors.current_files(selectors.dossier_of(enrolment))
    form = WithdrawForm(request.POST, current=current)
    if form.is_valid():
        target = next(f for f in current if f.pk == form.cleaned_data["file"])
        try:
            services.dossier_file_withdraw(file=target, by=request.user)
        except services.DepositRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Fichier retiré du dossier (il reste archivé)."))
    else:
        messages.error(request, _("Choisissez un fichier de votre dossier."))
    return redirect("dossiers:deposit", enrolment.pk)


@login_required
@require_POST
def submit(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _own_enrolment(request, enrolment_id)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Cochez la case de confirmation pour déposer définitivement votre dossier.")
        )
        return redirect("dossiers:deposit", enrolment.pk)
    try:
        services.dossier_submit(enrolment=enrolment, by=request.user)
    except services.DepositRefused as error:
        messages.error(request, str(error))
        return redirect("dossiers:deposit", enrolment.pk)
    messages.success(
        request, _("Votre dossier est déposé et figé. Votre récépissé vous est envoyé par courriel.")
    )
    return redirect("dossiers:receipt", enrolment.pk)


def _readable_enrolment(request: AuthenticatedHttpRequest, enrolment_id: int) -> Enrolment:
    return get_visible_or_404(
        permissions.enrolments_with_readable_dossier(request.user).select_related(
            "campaign", "candidate", "academy"
        ),
        pk=enrolment_id,
    )


@login_required
@require_GET
def receipt(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _readable_enrolment(request, enrolment_id)
    dossier = selectors.dossier_of(enrolment)
    if dossier is None or dossier.state != DossierState.SUBMITTED:
        raise Http404("No receipt yet.")
    files = selectors.current_files(dossier)
    crumbs = [(_("Récépissé de dépôt"), "")]
    if permissions.can_deposit(request.user, enrolment):
        crumbs = [
            (_("Mes certifications"), reverse("dossiers:mine")),
            (_("Dépôt du dossier"), reverse("dossiers:deposit", args=[enrolment.pk])),
            *crumbs,
        ]
    context = {
        "crumbs": crumbs,
        "headers": [*file_headers(), _("Empreinte SHA-256")],
        "enrolment": enrolment,
        "dossier": dossier,
        "frozen_at": paris_text(dossier.frozen_at) if dossier.frozen_at else "",
        "file_rows": file_rows(files, with_hash=True),
        "receipt": Receipt.objects.filter(dossier=dossier).first(),
        "receipt_pdf": enrolments_own_or_managed(request.user).filter(pk=enrolment.pk).exists(),
    }
    return render(request, "dossiers/receipt.html", context)


@login_required
@require_GET
def receipt_pdf(request: AuthenticatedHttpRequest, enrolment_id: int) -> FileResponse:
    # The receipt states the birth date: the candidate and organisers only, not the jury
    # (docs/privacy.md, « Minimisation »).
    enrolment = get_visible_or_404(
        enrolments_own_or_managed(request.user).select_related("campaign", "candidate"), pk=enrolment_id
    )
    dossier = selectors.dossier_of(enrolment)
    if dossier is None or dossier.state != DossierState.SUBMITTED:
        raise Http404("No receipt yet.")
    # The receipt is issued by a background task; if the worker has not run yet it is issued now.
    issued = services.receipt_issue(dossier_id=dossier.pk)
    stream = services.receipt_read(receipt=issued, by=request.user)
    return FileResponse(
        stream,
        as_attachment=True,
        filename=f"recepisse-dossier-{dossier.pk}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_GET
def file_download(request: AuthenticatedHttpRequest, file_id: int) -> FileResponse:
    stored = get_visible_or_404(permissions.dossier_files_visible(request.user), pk=file_id)
    stream = services.dossier_file_read(file=stored, by=request.user)
    return FileResponse(stream, as_attachment=True, filename=stored.name, content_type=stored.content_type)


@login_required
@require_GET
def history(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    """The history of a dossier: uploads, replacements, withdrawals, refusals, freeze, receipt."""
    enrolment = get_visible_or_404(
        enrolments_own_or_managed(request.user).select_related("campaign", "candidate"),
        pk=enrolment_id,
    )
    dossier = selectors.dossier_of(enrolment)
    events: QuerySet[AuditEvent] | list[AuditEvent] = (
        dossier_history(dossier=dossier, candidate_user=enrolment.candidate.user)
        if dossier is not None
        else []
    )
    page: Page[AuditEvent] = Paginator(events, 50).get_page(request.GET.get("page"))

    def actor(event_actor: object) -> str:
        if event_actor is None:
            return _("Certeval (automatique)")
        if event_actor == request.user:
            return _("Vous")
        return _("Candidat") if event_actor == enrolment.candidate.user else _("Organisation")

    rows = [
        [
            paris_text(e.at),
            action_label(e.action),
            e.get_outcome_display(),
            actor(e.actor),
            e.message or e.data.get("name", "") or "—",
            format_html('<code class="hash">{}</code>', e.data["sha256"]) if e.data.get("sha256") else "—",
        ]
        for e in page
    ]
    crumbs = [(_("Historique du dossier"), "")]
    if permissions.can_deposit(request.user, enrolment):
        crumbs = [
            (_("Mes certifications"), reverse("dossiers:mine")),
            (_("Dépôt du dossier"), reverse("dossiers:deposit", args=[enrolment.pk])),
            *crumbs,
        ]
    return render(
        request,
        "dossiers/history.html",
        {
            "enrolment": enrolment,
            "crumbs": crumbs,
            "rows": rows,
            "headers": [_("Date"), _("Action"), _("Résultat"), _("Par"), _("Détail"), _("Empreinte SHA-256")],
            "page_obj": page,
        },
    )
