"""Enrolment pages: a campaign's candidates, enrolment one by one or by import, a candidate's page, session placement, prerequisites and the trainer attestation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.models import User
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns import enrolments, hooks, imports, permissions, prerequisites, services
from certeval.campaigns.consult import consult_enrolment
from certeval.campaigns.forms import (
    BulkSessionForm,
    EnrolmentForm,
    ImportForm,
    SessionAssignForm,
    TrainerExperienceForm,
)
from certeval.campaigns.identities import Identity
from certeval.campaigns.models import Campaign, Enrolment
from certeval.campaigns.views import campaign_crumbs, managed_campaign
from certeval.core.body_limits import UPLOAD, body_limit


@login_required
@require_GET
def enrolment_list(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = managed_campaign(request, campaign_id)
    enrolments = (
        permissions.enrolments_managed(request.user)
        .filter(campaign=campaign)
        .select_related("candidate", "academy", "dossier", "session")
    )
    page = Paginator(enrolments, 25).get_page(request.GET.get("page"))
    document = campaign.framework_version.document
    rows = [
        [
            format_html(
                '<input type="checkbox" name="enrolments" value="{}" id="choisir-{}" aria-label="{}"> '
                '<a href="{}">{}</a>',
                e.pk,
                e.pk,
                _("Choisir %(name)s") % {"name": e.candidate.display_name},
                reverse("campaigns:enrolment", args=[e.pk]),
                e.candidate.display_name,
            ),
            e.academy.name,
            e.get_school_level_display(),
            e.session.label if e.session else "—",
            e.dossier.get_state_display() if hasattr(e, "dossier") else "—",
            _prerequisite_summary(e, document),
            e.get_status_display(),
        ]
        for e in page
    ]
    sessions = list(campaign.sessions.all())
    return render(
        request,
        "campaigns/enrolments.html",
        {
            "campaign": campaign,
            "rows": rows,
            "headers": [
                _("Candidat"),
                _("Académie"),
                _("Degré"),
                _("Session"),
                _("Dossier"),
                _("Prérequis"),
                _("Inscription"),
            ],
            "page_obj": page,
            "bulk_form": BulkSessionForm(campaign=campaign, enrolment_ids=[]) if sessions else None,
            "crumbs": campaign_crumbs(campaign, (_("Candidats"), "")),
        },
    )


def _prerequisite_summary(enrolment: Enrolment, document: dict[str, object]) -> str:
    if not prerequisites.required_kinds(document):
        return "—"
    checks = prerequisites.enrolment_checks(enrolment)
    missing = [c.label for c in checks if not c.met]
    return _("Remplis") if not missing else _("Manquant : %(list)s") % {"list": ", ".join(missing)}


def _enrolment_data(form: EnrolmentForm) -> enrolments.EnrolmentData:
    data = form.cleaned_data
    return enrolments.EnrolmentData(
        identity=Identity(
            birth_name=data["birth_name"],
            usual_name=data["usual_name"],
            first_names=data["first_names"],
            birth_date=data["birth_date"],
            birth_place=data["birth_place"],
            email=data["email"],
        ),
        academy=data["academy"],
        school_level=data["school_level"],
        training=data["training"],
        target_level=data["target_level"],
        extra_time_percent=data["extra_time_percent"],
        accessible_formats=data["accessible_formats"],
        other_needs=data["other_needs"],
        trainer_experience_years=data.get("trainer_experience_years"),
        trainer_experience=data.get("trainer_experience", ""),
        trainer_experience_declared=data.get("trainer_experience_declared", False),
        learner_accompaniment=data.get("learner_accompaniment", ""),
        automated_level=data.get("automated_level", ""),
        automated_obtained_on=data.get("automated_obtained_on"),
        session=data["session"],
        mention=data.get("mention"),
        blocs=tuple(data.get("blocs") or ()),
    )


@login_required
def enrolment_create(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = managed_campaign(request, campaign_id)
    form = EnrolmentForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = enrolments.enrolment_create(
                campaign=campaign, data=_enrolment_data(form), by=request.user
            )
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Candidat inscrit ; un courriel d'inscription lui est envoyé."))
            return redirect("campaigns:enrolment", enrolment.pk)
    return render(
        request,
        "campaigns/form.html",
        {
            "form": form,
            "title": _("Inscrire un candidat"),
            "campaign": campaign,
            "notice_key": "enrolment",
            "crumbs": campaign_crumbs(campaign, (_("Inscrire un candidat"), "")),
        },
    )


def _import_session_key(campaign: Campaign) -> str:
    return f"campaigns:import:{campaign.pk}"


@body_limit(UPLOAD)
@login_required
def enrolment_import(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """Step 1: upload and preview; the table waits in the session until the organiser confirms."""
    campaign = managed_campaign(request, campaign_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = imports.read_table(upload, upload.name)
            preview = imports.preview(campaign=campaign, table=table)
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            request.session[_import_session_key(campaign)] = table
    context = {
        "campaign": campaign,
        "form": form,
        "preview": preview,
        "rows": [
            [
                str(r.line),
                r.values.get("nom_naissance", ""),
                r.values.get("prenoms", ""),
                r.values.get("email", ""),
                _("Valide") if not r.errors else _("Erreur"),
            ]
            for r in (preview.rows if preview else [])
        ],
        "headers": [
            _("Ligne"),
            _("Nom de naissance"),
            _("Prénoms"),
            _("Adresse électronique"),
            _("Résultat"),
        ],
        "crumbs": campaign_crumbs(campaign, (_("Importer des candidats"), "")),
    }
    return render(request, "campaigns/import.html", context)


@login_required
@require_POST
def enrolment_import_confirm(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """Step 2: re-check the stored table and import all rows (clean file) or, explicitly, the valid ones."""
    campaign = managed_campaign(request, campaign_id)
    table = request.session.get(_import_session_key(campaign))
    if not table:
        messages.error(request, _("Aucun import en attente : déposez à nouveau le fichier."))
        return redirect("campaigns:import", campaign.pk)
    preview = imports.preview(campaign=campaign, table=table)
    valid_only = request.POST.get("mode") == "valid_only"
    if not preview.is_clean and not valid_only:
        messages.error(
            request,
            _(
                "Le fichier contient des erreurs : corrigez-le ou importez explicitement "
                "les seules lignes valides."
            ),
        )
        return redirect("campaigns:import", campaign.pk)
    rows = [r.data for r in preview.valid_rows if r.data is not None]
    try:
        created = enrolments.enrolment_bulk_import(campaign=campaign, rows=rows, by=request.user)
    except services.CampaignError as error:
        messages.error(request, str(error))
        return redirect("campaigns:import", campaign.pk)
    del request.session[_import_session_key(campaign)]
    messages.success(request, _("%(n)s candidat(s) inscrit(s).") % {"n": len(created)})
    return redirect("campaigns:enrolments", campaign.pk)


def identity_shown(user: User, enrolment: Enrolment, own_or_managed: bool) -> str:
    """What of the candidate's identity the reader sees (docs/privacy.md, « Minimisation »): « full »
    for the candidate, organisers in scope and administrators; « identity_check » (names and birth
    date, as on the attendance sheet, no birth place) for an invigilator of the candidate's session;
    « assess » (the name only) for jurors and presidents."""
    if own_or_managed:
        return "full"
    if (
        enrolment.session_id is not None
        and permissions.sessions_visible(user).filter(pk=enrolment.session_id).exists()
    ):
        return "identity_check"
    return "assess"


def adjustments(enrolment: Enrolment) -> list[str]:
    """The accommodations as adjustments to apply (labels), never the free text of other needs."""
    found = []
    if enrolment.extra_time_percent:
        found.append(_("Temps majoré de %(n)s %%") % {"n": enrolment.extra_time_percent})
    if enrolment.accessible_formats:
        found.append(_("Formats accessibles : %(formats)s") % {"formats": enrolment.accessible_formats})
    return found


@login_required
@require_GET
def enrolment_detail(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_visible_or_404(
        permissions.enrolments_visible(request.user).select_related(
            "candidate", "campaign", "academy", "session"
        ),
        pk=enrolment_id,
    )
    user = request.user
    can_manage = permissions.can_manage_enrolment(user, enrolment)
    own_or_managed = permissions.enrolments_own_or_managed(user).filter(pk=enrolment.pk).exists()
    checks = prerequisites.enrolment_checks(enrolment) if own_or_managed else []
    identity = identity_shown(user, enrolment, own_or_managed)
    consult_enrolment(user, enrolment, "enrolment" if identity != "assess" else "dossier_reading")
    context = {
        "identity": identity,
        "adjustments": adjustments(enrolment),
        "prerequisite_checks": bool(checks),
        "prerequisite_rows": _check_rows(checks),
        "prerequisite_headers": [_("Prérequis"), _("Statut"), _("Explication")],
        "prerequisites_editable": own_or_managed,
        "enrolment": enrolment,
        "candidate": enrolment.candidate,
        "target_level": dict(enrolment.campaign.level_choices).get(enrolment.target_level, "")
        if enrolment.target_level
        else "",
        "can_manage": can_manage,
        "sections": [section(request, enrolment) for section in hooks.ENROLMENT_SECTIONS],
        "assign_form": SessionAssignForm(campaign=enrolment.campaign) if can_manage else None,
        "crumbs": (
            campaign_crumbs(enrolment.campaign)
            if permissions.can_manage_campaign(user, enrolment.campaign)
            else []
        )
        + [(enrolment.candidate.display_name, "")],
    }
    return render(request, "campaigns/enrolment.html", context)


@login_required
@require_POST
def enrolment_assign_session(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_visible_or_404(permissions.enrolments_managed(request.user), pk=enrolment_id)
    form = SessionAssignForm(request.POST, campaign=enrolment.campaign)
    if form.is_valid():
        try:
            enrolments.enrolment_assign_session(
                enrolment=enrolment, session=form.cleaned_data["session"], by=request.user
            )
        except services.CampaignError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Session attribuée ; la convocation est envoyée."))
    return redirect("campaigns:enrolment", enrolment.pk)


def _check_rows(checks: list[prerequisites.PrerequisiteCheck]) -> list[list[str]]:
    return [[c.label, _("Rempli") if c.met else _("Non rempli"), c.explanation] for c in checks]


@login_required
@body_limit(UPLOAD)
def enrolment_prerequisites(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    """The prerequisites of one enrolment: their status, the candidate's declaration of trainer
    experience, and (organisers) a link to the automated-results page of the testing context."""
    user = request.user
    enrolment = get_visible_or_404(
        permissions.enrolments_own_or_managed(user).select_related(
            "candidate", "campaign__framework_version", "dossier"
        ),
        pk=enrolment_id,
    )
    document = enrolment.campaign.framework_version.document
    kinds = prerequisites.required_kinds(document)
    can_manage = permissions.can_manage_enrolment(user, enrolment)
    editable = enrolment.dossier.state == "draft"
    has_attestation = bool(enrolment.trainer_attestation_storage)
    trainer_form = None
    if prerequisites.TRAINER_EXPERIENCE in kinds and editable:
        trainer_form = TrainerExperienceForm(
            initial={
                "years": enrolment.trainer_experience_years,
                "description": enrolment.trainer_experience,
                "declared": enrolment.trainer_experience_declared,
                "accompaniment": enrolment.learner_accompaniment or None,
            },
            has_attestation=has_attestation,
        )
    # Automated results are recorded on the testing context's page of the campaign.
    automated_link = prerequisites.AUTOMATED_RESULT in kinds and can_manage
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "trainer" and trainer_form is not None:
                trainer_form = TrainerExperienceForm(
                    request.POST, request.FILES, has_attestation=has_attestation
                )
                if trainer_form.is_valid():
                    data = trainer_form.cleaned_data
                    upload = data["attestation"]
                    attestation = (
                        enrolments.Attestation(upload, upload.name, upload.size, upload.content_type)
                        if upload
                        else None
                    )
                    enrolments.enrolment_trainer_experience_declare(
                        enrolment=enrolment,
                        by=user,
                        years=data["years"],
                        description=data["description"],
                        declared=data["declared"],
                        accompaniment=data["accompaniment"],
                        attestation=attestation,
                    )
                    messages.success(request, _("Expérience de formateur enregistrée."))
                    if attestation is not None and attestation.notice:
                        messages.warning(request, attestation.notice)
                    return redirect("campaigns:prerequisites", enrolment.pk)
            else:
                raise Http404("No such form.")
        except services.CampaignError as error:
            messages.error(request, str(error))
    crumbs = (
        campaign_crumbs(
            enrolment.campaign,
            (enrolment.candidate.display_name, reverse("campaigns:enrolment", args=[enrolment.pk])),
        )
        if permissions.can_manage_campaign(user, enrolment.campaign)
        else [(_("Mes certifications"), reverse("dossiers:mine"))]
    )
    return render(
        request,
        "campaigns/prerequisites.html",
        {
            "enrolment": enrolment,
            "crumbs": [*crumbs, (_("Prérequis"), "")],
            "text": prerequisites.prerequisite_text(document),
            "rows": _check_rows(prerequisites.enrolment_checks(enrolment)),
            "headers": [_("Prérequis"), _("Statut"), _("Explication")],
            "policy": enrolment.campaign.get_prerequisite_policy_display(),
            "trainer_form": trainer_form,
            "automated_link": automated_link,
            "has_attestation": has_attestation,
        },
    )


@login_required
@require_GET
def enrolment_attestation(request: AuthenticatedHttpRequest, enrolment_id: int) -> FileResponse:
    enrolment = get_visible_or_404(
        permissions.enrolments_own_or_managed(request.user).exclude(trainer_attestation_storage=""),
        pk=enrolment_id,
    )
    stream = enrolments.enrolment_attestation_read(enrolment=enrolment, by=request.user)
    return FileResponse(stream, as_attachment=True, filename=enrolment.trainer_attestation_name)
