"""Organiser, invigilator and reviewer pages of campaigns. Thin: permission → form → service → redirect."""

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
from certeval.campaigns import guards, hooks, imports, permissions, prerequisites, selectors, services
from certeval.campaigns.forms import (
    BulkSessionForm,
    CampaignForm,
    EnrolmentForm,
    ImportForm,
    RoleGrantForm,
    RoleRevokeForm,
    SessionAssignForm,
    SessionForm,
    TrainerExperienceForm,
    TransitionForm,
)
from certeval.campaigns.identities import Identity
from certeval.campaigns.models import Campaign, CampaignState, Enrolment, ReviewerAssignment
from certeval.core.dates import paris_text
from certeval.frameworks.labels import framework_title
from certeval.frameworks.models import FrameworkVersion


def _managed(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    return get_visible_or_404(
        permissions.campaigns_managed(request.user).select_related("framework_version"), pk=campaign_id
    )


def _run(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    """A campaign the user runs as a whole (not limited to an academy)."""
    return get_visible_or_404(
        permissions.campaigns_run(request.user).select_related("framework_version"), pk=campaign_id
    )


def _crumbs(campaign: Campaign | None = None, *rest: tuple[str, str]) -> list[tuple[str, str]]:
    items = [(_("Campagnes"), reverse("campaigns:list"))]
    if campaign is not None:
        items.append((campaign.title, reverse("campaigns:detail", args=[campaign.pk])))
    return items + list(rest)


@login_required
@require_GET
def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    managed = permissions.campaigns_managed(user).select_related("framework_version")
    sessions = permissions.sessions_visible(user).exclude(campaign__in=managed).select_related("campaign")
    if not managed.exists() and not sessions.exists() and not permissions.can_create_campaign(user):
        raise Http404("No campaign for this user.")
    rows = [
        [
            format_html('<a href="{}">{}</a>', reverse("campaigns:detail", args=[c.pk]), c.title),
            framework_title(c.framework_version.title),
            c.get_state_display(),
            paris_text(c.deposit_deadline),
        ]
        for c in managed
    ]
    session_rows = [
        [
            format_html('<a href="{}">{}</a>', reverse("campaigns:session", args=[s.pk]), s.label),
            s.campaign.title,
            paris_text(s.starts_at),
        ]
        for s in sessions
    ]
    return render(
        request,
        "campaigns/list.html",
        {
            "rows": rows,
            "headers": [_("Campagne"), _("Référentiel"), _("État"), _("Date limite de dépôt")],
            "session_rows": session_rows,
            "session_headers": [_("Session"), _("Campagne"), _("Début")],
            "can_create": permissions.can_create_campaign(user),
        },
    )


@login_required
def campaign_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_create_campaign(request.user):
        raise Http404("Not allowed.")
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = services.campaign_create(
            by=request.user,
            title=data["title"],
            framework_version=FrameworkVersion.objects.get(pk=data["framework_version"]),
            deposit_deadline=form.deadline,
            final_policy=data["final_policy"],
            tie_rule=data["tie_rule"],
            oral_duration_minutes=data["oral_duration_minutes"],
            academy_groups=data["academy_groups"],
            prerequisite_policy=data["prerequisite_policy"],
        )
        messages.success(request, _("Campagne créée (brouillon)."))
        return redirect("campaigns:detail", campaign.pk)
    return render(
        request,
        "campaigns/form.html",
        {
            "form": form,
            "title": _("Nouvelle campagne"),
            "crumbs": _crumbs(None, (_("Nouvelle campagne"), "")),
        },
    )


@login_required
@require_GET
def campaign_detail(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed(request, campaign_id)
    can_run = permissions.can_manage_campaign(request.user, campaign)
    sessions = [
        [
            # A session's page (its candidates, all academies) is for those who run the campaign.
            format_html('<a href="{}">{}</a>', reverse("campaigns:session", args=[s.pk]), s.label)
            if can_run
            else s.label,
            paris_text(s.starts_at),
            s.get_mode_display(),
            s.place or "—",
            f"{s.enrolments.count()} / {s.capacity}",
        ]
        for s in campaign.sessions.all()
    ]
    log = [
        [
            paris_text(t.at),
            CampaignState(t.from_state).label,
            CampaignState(t.to_state).label,
            str(t.by or "—"),
            t.note,
        ]
        for t in campaign.transitions.select_related("by")
    ]
    enrolments = permissions.enrolments_managed(request.user).filter(campaign=campaign)
    allowed = services.campaign_allowed_transitions(campaign=campaign)
    transition_form = TransitionForm()
    confirmation = " ".join(filter(None, (guards.transition_confirmation(campaign, s) for s in allowed)))
    transition_form.fields["confirm"].label = confirmation
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "can_run": can_run,
            "can_edit": campaign.state != CampaignState.ARCHIVED and can_run,
            "crumbs": _crumbs(campaign),
            "academy_groups": selectors.academy_group_names(campaign),
            "transition_form": transition_form,
            "transition_blockers": [
                blocker for s in allowed for blocker in guards.transition_blockers(campaign, s, request.user)
            ],
            "transition_confirmation": confirmation,
            "deadline": paris_text(campaign.deposit_deadline),
            "transitions": [(s, CampaignState(s).label) for s in allowed],
            "sessions": sessions,
            "session_headers": [_("Session"), _("Début"), _("Modalité"), _("Lieu"), _("Inscrits / capacité")],
            "log": log,
            "log_headers": [_("Date"), _("De"), _("Vers"), _("Par"), _("Commentaire")],
            "counts": {
                "total": enrolments.count(),
                "submitted": enrolments.filter(dossier__state="submitted").count(),
                "not_deposited": enrolments.filter(dossier__state="not_deposited").count(),
            },
        },
    )


@login_required
@require_POST
def campaign_transition(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _run(request, campaign_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors["note"]))
        return redirect("campaigns:detail", campaign.pk)
    try:
        services.campaign_transition(
            campaign=campaign,
            to_state=request.POST.get("to_state", ""),
            by=request.user,
            note=form.cleaned_data["note"],
            confirmed=form.cleaned_data["confirm"],
        )
    except services.TransitionBlocked as error:
        # The list of what is missing is shown on the campaign page, under « Changer l'état ».
        messages.error(request, _("%(error)s Voir la liste sous « Changer l'état ».") % {"error": str(error)})
    except (services.CampaignError, ValueError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("État de la campagne modifié."))
    return redirect("campaigns:detail", campaign.pk)


@login_required
@require_POST
def campaign_reminders(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _run(request, campaign_id)
    try:
        count = services.campaign_send_deadline_reminders(campaign=campaign, by=request.user)
    except services.CampaignError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(n)s rappel(s) envoyé(s).") % {"n": count})
    return redirect("campaigns:detail", campaign.pk)


@login_required
def session_create(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _run(request, campaign_id)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_create(
                campaign=campaign,
                by=request.user,
                label=data["label"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                mode=data["mode"],
                place=data["place"],
                capacity=data["capacity"],
            )
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Session créée."))
            return redirect("campaigns:detail", campaign.pk)
    return render(
        request,
        "campaigns/form.html",
        {
            "form": form,
            "title": _("Nouvelle session"),
            "crumbs": _crumbs(campaign, (_("Nouvelle session"), "")),
        },
    )


@login_required
@require_GET
def session_detail(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    session = get_visible_or_404(
        permissions.sessions_visible(request.user).select_related("campaign"), pk=session_id
    )
    rows = [
        [
            format_html(
                '<a href="{}">{}</a>', reverse("campaigns:enrolment", args=[e.pk]), e.candidate.display_name
            ),
            e.candidate.birth_date.strftime("%d/%m/%Y"),
            e.academy.name,
            f"{e.extra_time_percent} %" if e.extra_time_percent else "—",
            e.accessible_formats or "—",
        ]
        for e in session.enrolments.select_related("candidate", "academy")
    ]
    crumbs = [(_("Campagnes"), reverse("campaigns:list")), (session.label, "")]
    return render(
        request,
        "campaigns/session.html",
        {
            "session": session,
            "rows": rows,
            "crumbs": crumbs,
            "headers": [
                _("Candidat"),
                _("Né(e) le"),
                _("Académie"),
                _("Temps majoré"),
                _("Formats accessibles"),
            ],
        },
    )


@login_required
@require_GET
def enrolment_list(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed(request, campaign_id)
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
            "crumbs": _crumbs(campaign, (_("Candidats"), "")),
        },
    )


def _prerequisite_summary(enrolment: Enrolment, document: dict[str, object]) -> str:
    if not prerequisites.required_kinds(document):
        return "—"
    checks = prerequisites.enrolment_checks(enrolment)
    missing = [c.label for c in checks if not c.met]
    return _("Remplis") if not missing else _("Manquant : %(list)s") % {"list": ", ".join(missing)}


def _enrolment_data(form: EnrolmentForm) -> services.EnrolmentData:
    data = form.cleaned_data
    return services.EnrolmentData(
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
        automated_level=data.get("automated_level", ""),
        automated_obtained_on=data.get("automated_obtained_on"),
        session=data["session"],
    )


@login_required
def enrolment_create(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed(request, campaign_id)
    form = EnrolmentForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrolment_create(
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
            "crumbs": _crumbs(campaign, (_("Inscrire un candidat"), "")),
        },
    )


def _import_session_key(campaign: Campaign) -> str:
    return f"campaigns:import:{campaign.pk}"


@login_required
def enrolment_import(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """Step 1: upload and preview; the table waits in the session until the organiser confirms."""
    campaign = _managed(request, campaign_id)
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
        "crumbs": _crumbs(campaign, (_("Importer des candidats"), "")),
    }
    return render(request, "campaigns/import.html", context)


@login_required
@require_POST
def enrolment_import_confirm(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """Step 2: re-check the stored table and import all rows (clean file) or, explicitly, the valid ones."""
    campaign = _managed(request, campaign_id)
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
        created = services.enrolment_bulk_import(campaign=campaign, rows=rows, by=request.user)
    except services.CampaignError as error:
        messages.error(request, str(error))
        return redirect("campaigns:import", campaign.pk)
    del request.session[_import_session_key(campaign)]
    messages.success(request, _("%(n)s candidat(s) inscrit(s).") % {"n": len(created)})
    return redirect("campaigns:enrolments", campaign.pk)


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
    context = {
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
            _crumbs(enrolment.campaign) if permissions.can_manage_campaign(user, enrolment.campaign) else []
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
            services.enrolment_assign_session(
                enrolment=enrolment, session=form.cleaned_data["session"], by=request.user
            )
        except services.CampaignError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Session attribuée ; la convocation est envoyée."))
    return redirect("campaigns:enrolment", enrolment.pk)


@login_required
@require_GET
def reviews(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The dossiers a juror or jury president has been assigned to read."""
    assignments = ReviewerAssignment.objects.filter(user=request.user).select_related(
        "enrolment__candidate", "enrolment__campaign", "enrolment__dossier"
    )
    rows = [
        [
            format_html(
                '<a href="{}">{}</a>',
                reverse("campaigns:enrolment", args=[a.enrolment_id]),
                a.enrolment.candidate.display_name,
            ),
            a.enrolment.campaign.title,
            a.get_role_display(),
            a.enrolment.dossier.get_state_display(),
        ]
        for a in assignments
    ]
    return render(
        request,
        "campaigns/reviews.html",
        {"rows": rows, "headers": [_("Candidat"), _("Campagne"), _("Rôle"), _("Dossier")]},
    )


def _check_rows(checks: list[prerequisites.PrerequisiteCheck]) -> list[list[str]]:
    return [[c.label, _("Rempli") if c.met else _("Non rempli"), c.explanation] for c in checks]


@login_required
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
                    services.enrolment_trainer_experience_declare(
                        enrolment=enrolment,
                        by=user,
                        years=data["years"],
                        description=data["description"],
                        declared=data["declared"],
                        attestation=services.Attestation(upload, upload.name, upload.size)
                        if upload
                        else None,
                    )
                    messages.success(request, _("Expérience de formateur enregistrée."))
                    return redirect("campaigns:prerequisites", enrolment.pk)
            else:
                raise Http404("No such form.")
        except services.CampaignError as error:
            messages.error(request, str(error))
    crumbs = (
        _crumbs(
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
    stream = services.enrolment_attestation_read(enrolment=enrolment, by=request.user)
    return FileResponse(stream, as_attachment=True, filename=enrolment.trainer_attestation_name)


def _academy_scopes(user: User, campaign: Campaign) -> set[int] | None:
    """None when the user grants every role on the campaign, else the academies they are limited to."""
    if permissions.can_grant_role(user, campaign, "juror", None):
        return None
    return {
        a
        for a in campaign.roles.filter(user=user, role="organiser").values_list("academy_id", flat=True)
        if a
    }


@login_required
def campaign_roles(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """Grant staff roles on a campaign by e-mail address, and list and withdraw them."""
    user = request.user
    campaign = _managed(request, campaign_id)
    form = RoleGrantForm(
        request.POST or None, campaign=campaign, academy_scopes=_academy_scopes(user, campaign)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        academy = data.get("academy")
        if not permissions.can_grant_role(user, campaign, data["role"], academy.pk if academy else None):
            raise Http404("Not allowed.")
        try:
            services.campaign_role_grant_by_email(
                campaign=campaign,
                email=data["email"],
                role=data["role"],
                by=user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                academy=academy,
                session=data.get("session"),
            )
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Rôle attribué à %(email)s ; un courriel l'en informe.") % {"email": data["email"]}
            )
            return redirect("campaigns:roles", campaign.pk)
    revocable = list(
        permissions.campaign_roles_revocable(user, campaign).select_related("user").order_by("user__email")
    )
    grants = campaign.roles.select_related("user", "academy", "session").order_by("role", "user__email")
    rows = [
        [
            g.user.email,
            g.user.get_full_name() or "—",
            g.get_role_display(),
            _("Académie de %(name)s") % {"name": g.academy.name}
            if g.academy
            else (g.session.label if g.session else _("Toute la campagne")),
        ]
        for g in grants
    ]
    return render(
        request,
        "campaigns/roles.html",
        {
            "campaign": campaign,
            "form": form,
            "rows": rows,
            "headers": [_("Adresse électronique"), _("Nom"), _("Rôle"), _("Limité à")],
            "revoke_form": RoleRevokeForm(grants=revocable) if revocable else None,
            "crumbs": _crumbs(campaign, (_("Rôles"), "")),
        },
    )


@login_required
@require_POST
def campaign_role_revoke(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed(request, campaign_id)
    revocable = list(permissions.campaign_roles_revocable(request.user, campaign).select_related("user"))
    form = RoleRevokeForm(request.POST, grants=revocable)
    if not form.is_valid():
        messages.error(request, _("Choisissez un rôle à retirer."))
        return redirect("campaigns:roles", campaign.pk)
    grant = next(g for g in revocable if g.pk == form.cleaned_data["grant"])
    try:
        services.campaign_role_revoke(grant=grant, by=request.user)
    except services.CampaignError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Rôle retiré à %(email)s.") % {"email": grant.user.email})
    return redirect("campaigns:roles", campaign.pk)
