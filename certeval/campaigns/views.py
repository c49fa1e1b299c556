"""Organiser, invigilator and reviewer pages of campaigns. Thin: permission → form → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certeval.accounts import permissions
from certeval.accounts.models import User
from certeval.campaigns import imports, services
from certeval.campaigns.deadlines import paris_text
from certeval.campaigns.forms import CampaignForm, EnrolmentForm, ImportForm, SessionAssignForm, SessionForm
from certeval.campaigns.models import Campaign, CampaignState, ReviewerAssignment
from certeval.dossiers.selectors import files_for_reading
from certeval.dossiers.views import file_headers, file_rows
from certeval.frameworks.models import FrameworkVersion


def _managed(request: HttpRequest, campaign_id: int) -> Campaign:
    return permissions.get_visible_or_404(
        permissions.campaigns_managed(request.user).select_related("framework_version"), pk=campaign_id
    )


def _crumbs(campaign: Campaign | None = None, *rest: tuple[str, str]) -> list[tuple[str, str]]:
    items = [(_("Campagnes"), reverse("campaigns:list"))]
    if campaign is not None:
        items.append((campaign.title, reverse("campaigns:detail", args=[campaign.pk])))
    return items + list(rest)


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    managed = permissions.campaigns_managed(user).select_related("framework_version")
    sessions = permissions.sessions_visible(user).exclude(campaign__in=managed).select_related("campaign")
    if not managed.exists() and not sessions.exists() and not permissions.can_create_campaign(user):
        raise Http404("No campaign for this user.")
    rows = [
        [
            format_html('<a href="{}">{}</a>', reverse("campaigns:detail", args=[c.pk]), c.title),
            c.framework_version.title,
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
def campaign_create(request: HttpRequest) -> HttpResponse:
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
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed(request, campaign_id)
    sessions = [
        [
            format_html('<a href="{}">{}</a>', reverse("campaigns:session", args=[s.pk]), s.label),
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
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "crumbs": _crumbs(campaign),
            "deadline": paris_text(campaign.deposit_deadline),
            "transitions": [
                (s, CampaignState(s).label) for s in services.campaign_allowed_transitions(campaign=campaign)
            ],
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
def campaign_transition(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed(request, campaign_id)
    try:
        services.campaign_transition(
            campaign=campaign,
            to_state=request.POST.get("to_state", ""),
            by=request.user,
            note=request.POST.get("note", "")[:1000],
        )
    except (services.CampaignError, ValueError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("État de la campagne modifié."))
    return redirect("campaigns:detail", campaign.pk)


@login_required
@require_POST
def campaign_reminders(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed(request, campaign_id)
    try:
        count = services.campaign_send_deadline_reminders(campaign=campaign, by=request.user)
    except services.CampaignError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(n)s rappel(s) envoyé(s).") % {"n": count})
    return redirect("campaigns:detail", campaign.pk)


@login_required
def session_create(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed(request, campaign_id)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
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
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = permissions.get_visible_or_404(
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
def enrolment_list(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed(request, campaign_id)
    enrolments = (
        permissions.enrolments_managed(request.user)
        .filter(campaign=campaign)
        .select_related("candidate", "academy", "dossier", "session")
    )
    page = Paginator(enrolments, 25).get_page(request.GET.get("page"))
    rows = [
        [
            format_html(
                '<a href="{}">{}</a>', reverse("campaigns:enrolment", args=[e.pk]), e.candidate.display_name
            ),
            e.academy.name,
            e.get_school_level_display(),
            e.session.label if e.session else "—",
            e.dossier.get_state_display() if hasattr(e, "dossier") else "—",
            e.get_status_display(),
        ]
        for e in page
    ]
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
                _("Inscription"),
            ],
            "page_obj": page,
            "crumbs": _crumbs(campaign, (_("Candidats"), "")),
        },
    )


def _enrolment_data(form: EnrolmentForm) -> services.EnrolmentData:
    data = form.cleaned_data
    return services.EnrolmentData(
        identity=services.Identity(
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
        session=data["session"],
    )


@login_required
def enrolment_create(request: HttpRequest, campaign_id: int) -> HttpResponse:
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
def enrolment_import(request: HttpRequest, campaign_id: int) -> HttpResponse:
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
def enrolment_import_confirm(request: HttpRequest, campaign_id: int) -> HttpResponse:
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
def enrolment_detail(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = permissions.get_visible_or_404(
        permissions.enrolments_visible(request.user).select_related(
            "candidate", "campaign", "academy", "session"
        ),
        pk=enrolment_id,
    )
    user: User = request.user  # type: ignore[assignment]
    can_manage = permissions.can_manage_enrolment(user, enrolment)
    can_read = permissions.can_read_dossier(user, enrolment)
    context = {
        "enrolment": enrolment,
        "candidate": enrolment.candidate,
        "can_manage": can_manage,
        "file_rows": file_rows(files_for_reading(enrolment), with_hash=True) if can_read else None,
        "file_headers": [*file_headers(), _("Empreinte SHA-256")],
        "dossier_state": enrolment.dossier.get_state_display() if hasattr(enrolment, "dossier") else "—",
        "assign_form": SessionAssignForm(campaign=enrolment.campaign) if can_manage else None,
        "crumbs": (
            _crumbs(enrolment.campaign) if permissions.can_manage_campaign(user, enrolment.campaign) else []
        )
        + [(enrolment.candidate.display_name, "")],
    }
    return render(request, "campaigns/enrolment.html", context)


@login_required
@require_POST
def enrolment_assign_session(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = permissions.get_visible_or_404(permissions.enrolments_managed(request.user), pk=enrolment_id)
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
def reviews(request: HttpRequest) -> HttpResponse:
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
