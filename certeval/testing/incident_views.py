"""The organiser's pages about proctored sessions (docs/testing.md, « Incidents and finalisation »).

- ``/surveillance/campagne/<id>/`` (organisers who run the campaign as a whole): its sessions, each
  opened online with one button (its access code and invigilator password are then shown, with a
  link to its console), and the campaign's delivery settings.
- ``/surveillance/incidents/`` (organisers, within their academy for those limited to one): the
  incidents to decide — a person decides each one with a reason, never the software — and those
  decided, with who, when and why. A session's results are recorded once none is left undecided.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.models import Campaign
from certeval.campaigns.permissions import campaigns_managed, campaigns_run
from certeval.testing import console_selectors as selectors
from certeval.testing import console_services as console
from certeval.testing import sitting_services as candidate_side
from certeval.testing.console_forms import DecisionForm, DeliverySettingsForm
from certeval.testing.console_setup_services import DeliverySettings, delivery_settings_update
from certeval.testing.errors import TestingError
from certeval.testing.models import Incident


def _campaign_or_404(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    campaign = get_visible_or_404(
        campaigns_run(request.user).select_related("framework_version"), pk=campaign_id
    )
    if not selectors.has_automated_test(campaign):
        raise Http404("No automated test for this campaign.")
    return campaign


def _campaign_page(
    request: AuthenticatedHttpRequest, campaign: Campaign, form: DeliverySettingsForm | None = None
) -> HttpResponse:
    settings = candidate_side.campaign_delivery(campaign.pk)
    return render(
        request,
        "testing/console/campaign.html",
        {
            "campaign": campaign,
            "lines": selectors.campaign_sessions(campaign),
            "form": form or DeliverySettingsForm(instance=settings),
            "crumbs": [
                (_("Campagnes"), reverse("campaigns:list")),
                (campaign.title, reverse("campaigns:detail", args=[campaign.pk])),
                (_("Épreuves surveillées"), ""),
            ],
        },
    )


@login_required
@require_GET
def campaign(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    return _campaign_page(request, _campaign_or_404(request, campaign_id))


@login_required
@require_POST
def open_session(request: AuthenticatedHttpRequest, campaign_id: int, session_id: int) -> HttpResponse:
    campaign = _campaign_or_404(request, campaign_id)
    session = get_visible_or_404(campaign.sessions.all(), pk=session_id)
    try:
        delivery = console.open_delivery(session_id=session.pk, actor=request.user)
    except TestingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "« %(session)s » est ouverte en ligne : n° de session %(number)s, code d'accès des candidats "
                "%(code)s. Donnez au surveillant le numéro et le mot de passe surveillant."
            )
            % {"session": session.label, "number": delivery.pk, "code": delivery.access_code},
        )
    return redirect(reverse("console:campaign", args=[campaign.pk]) + f"#session-{session.pk}")


@login_required
@require_POST
def settings_update(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign_or_404(request, campaign_id)
    form = DeliverySettingsForm(request.POST, instance=candidate_side.campaign_delivery(campaign.pk))
    if not form.is_valid():
        return _campaign_page(request, campaign, form)
    data = form.cleaned_data
    try:
        delivery_settings_update(
            campaign_id=campaign.pk,
            values=DeliverySettings(
                form=data["form"],
                min_answered=data["min_answered"],
                abandonment=data["abandonment"],
                retention_days=data["retention_days"],
                max_questions=data["max_questions"],
            ),
            actor=request.user,
        )
    except TestingError as error:
        form.add_error(None, str(error))
        return _campaign_page(request, campaign, form)
    messages.success(request, _("Réglages de l'épreuve surveillée enregistrés."))
    return redirect(reverse("console:campaign", args=[campaign.pk]) + "#reglages")


# --- incidents --------------------------------------------------------------------------------------


def _may_decide(request: AuthenticatedHttpRequest) -> None:
    if not campaigns_managed(request.user).exists():
        raise Http404("Not an organiser.")


def _incidents_page(
    request: AuthenticatedHttpRequest, bound: tuple[int, DecisionForm] | None = None, status: int = 200
) -> HttpResponse:
    waiting, decided = selectors.incidents_to_decide(request.user)
    items: list[dict[str, Any]] = []
    for view in waiting:
        if bound is not None and bound[0] == view.incident.pk:
            form = bound[1]
        else:
            form = DecisionForm(prefix=f"incident-{view.incident.pk}", neutralisable=view.neutralisable)
        items.append({"view": view, "form": form})
    return render(
        request,
        "testing/console/incidents.html",
        {
            "waiting": items,
            "decided": decided,
            "crumbs": [(_("Espace surveillant"), reverse("console:index")), (_("Incidents à décider"), "")],
        },
        status=status,
    )


@login_required
@require_GET
def incidents(request: AuthenticatedHttpRequest) -> HttpResponse:
    _may_decide(request)
    return _incidents_page(request)


@login_required
@require_POST
def decide(request: AuthenticatedHttpRequest, incident_id: int) -> HttpResponse:
    _may_decide(request)
    incident = selectors.decidable_incident(request.user, incident_id)
    if incident is None:
        raise Http404("No such incident.")
    view = selectors.incident_view(incident)
    form = DecisionForm(request.POST, prefix=f"incident-{incident.pk}", neutralisable=view.neutralisable)
    if incident.decision:
        messages.error(request, _("Cet incident est déjà décidé."))
        return redirect("console:incidents")
    if not form.is_valid():
        return _incidents_page(request, (incident.pk, form))
    try:
        console.decide_incident(
            incident_id=incident.pk,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except TestingError as error:
        form.add_error(None, str(error))
        return _incidents_page(request, (incident.pk, form))
    incident.session.refresh_from_db()
    state = selectors.results_state(incident.session)
    decision = dict(Incident.Decision.choices)[form.cleaned_data["decision"]]
    messages.success(
        request,
        _("Décision enregistrée : %(decision)s. %(results)s") % {"decision": decision, "results": state.text},
    )
    return redirect("console:incidents")
