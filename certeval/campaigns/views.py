"""Campaign pages: the list, a campaign with its state changes and reminders, its sessions. Thin views over certeval.campaigns.{permissions,selectors,services}."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.accounts.reauth import posted, require_recent_authentication
from certeval.campaigns import attendance, guards, hooks, permissions, selectors, services
from certeval.campaigns.forms import (
    CampaignForm,
    SessionForm,
    TransitionForm,
)
from certeval.campaigns.models import Campaign, CampaignState
from certeval.core.dates import paris_text
from certeval.frameworks.labels import framework_title
from certeval.frameworks.models import FrameworkVersion


def managed_campaign(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    return get_visible_or_404(
        permissions.campaigns_managed(request.user).select_related("framework_version"), pk=campaign_id
    )


def run_campaign(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    """A campaign the user runs as a whole (not limited to an academy)."""
    return get_visible_or_404(
        permissions.campaigns_run(request.user).select_related("framework_version"), pk=campaign_id
    )


def campaign_crumbs(campaign: Campaign | None = None, *rest: tuple[str, str]) -> list[tuple[str, str]]:
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
            prerequisite_policy=data["prerequisite_policy"],
            mention_4_included=data["mention_4_included"],
            reading_delay_days=data["reading_delay_days"],
            allow_bloc_retake=data["allow_bloc_retake"],
        )
        messages.success(request, _("Campagne créée (brouillon)."))
        return redirect("campaigns:detail", campaign.pk)
    return render(
        request,
        "campaigns/form.html",
        {
            "form": form,
            "title": _("Nouvelle campagne"),
            "crumbs": campaign_crumbs(None, (_("Nouvelle campagne"), "")),
        },
    )


@login_required
@require_GET
def campaign_detail(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = managed_campaign(request, campaign_id)
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
            "crumbs": campaign_crumbs(campaign),
            "regroupements": selectors.regroupements_of(
                campaign, among=permissions.regroupements_visible(request.user)
            ),
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
            "links": [link for provider in hooks.CAMPAIGN_LINKS for link in provider(request, campaign)],
            "counts": {
                "total": enrolments.count(),
                "submitted": enrolments.filter(dossier__state="submitted").count(),
                "not_deposited": enrolments.filter(dossier__state="not_deposited").count(),
            },
        },
    )


@login_required
@require_POST
@require_recent_authentication(when=posted("to_state", CampaignState.PUBLISHED))
def campaign_transition(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = run_campaign(request, campaign_id)
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
    campaign = run_campaign(request, campaign_id)
    try:
        count = services.campaign_send_deadline_reminders(campaign=campaign, by=request.user)
    except services.CampaignError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(n)s rappel(s) envoyé(s).") % {"n": count})
    return redirect("campaigns:detail", campaign.pk)


@login_required
def session_create(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = run_campaign(request, campaign_id)
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
            "crumbs": campaign_crumbs(campaign, (_("Nouvelle session"), "")),
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
            "links": [link for provider in hooks.SESSION_LINKS for link in provider(request, session)],
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
def session_attendance(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    """The session's attendance sheet (PDF), for those who see the session (organisers running the
    campaign, its invigilators, administrators)."""
    session = get_visible_or_404(
        permissions.sessions_visible(request.user).select_related("campaign"), pk=session_id
    )
    response = HttpResponse(attendance.attendance_pdf(session), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{attendance.attendance_filename(session)}"'
    return response


@login_required
@require_GET
def campaign_attendance(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """One zip with the attendance sheets of every session of the campaign the user sees."""
    sessions = list(
        permissions.sessions_visible(request.user)
        .filter(campaign_id=campaign_id)
        .select_related("campaign")
        .order_by("starts_at", "pk")
    )
    if not sessions:
        raise Http404("No session.")
    response = HttpResponse(attendance.attendance_archive(sessions), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="emargements-campagne-{campaign_id}.zip"'
    return response
