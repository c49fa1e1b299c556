"""The automated-results page of a campaign: the organiser's candidates (within their academy
scope), their applicable result, and the forms to record one or import a CSV file."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.models import Enrolment
from certeval.core.body_limits import UPLOAD, body_limit
from certeval.testing import permissions, selectors
from certeval.testing.errors import TestingError
from certeval.testing.forms import AutomatedImportForm, AutomatedResultForm
from certeval.testing.services import automated_result_record, automated_results_import


def _validity(until: date | None, today: date) -> str:
    if until is None:
        return _("sans limite de durée")
    if until < today:
        return _("%(date)s (expiré)") % {"date": f"{until:%d/%m/%Y}"}
    return f"{until:%d/%m/%Y}"


@body_limit(UPLOAD)
@login_required
def automated_results(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    """Organisers record one candidate's automated result or import a CSV file of them."""
    user = request.user
    campaign = get_visible_or_404(
        permissions.campaigns_with_results(user).select_related("framework_version"), pk=campaign_id
    )
    scope = permissions.enrolments_in_scope(user, campaign)
    which = request.POST.get("form") if request.method == "POST" else None
    form = AutomatedResultForm(request.POST if which == "one" else None, campaign=campaign, enrolments=scope)
    upload = AutomatedImportForm(request.POST if which == "import" else None, request.FILES or None)
    try:
        if which == "one" and form.is_valid():
            automated_result_record(actor=user, **form.cleaned_data)
            messages.success(request, _("Résultat enregistré."))
            return redirect("testing:automated", campaign.pk)
        if which == "import" and upload.is_valid():
            raw = upload.cleaned_data["file"].read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise TestingError(_("Le fichier doit être encodé en UTF-8.")) from None
            count = automated_results_import(campaign=campaign, text=text, actor=user)
            messages.success(request, _("%(n)s ligne(s) importée(s).") % {"n": count})
            return redirect("testing:automated", campaign.pk)
    except TestingError as error:
        messages.error(request, " ".join([str(error), *error.reasons]))
    enrolments = list(
        scope.filter(status=Enrolment.Status.ENROLLED)
        .select_related("candidate")
        .order_by("candidate__birth_name", "pk")
    )
    bank = selectors.automated_test_of(campaign.framework_version)
    results = selectors.applicable_results(campaign, enrolments, include_expired=True)
    labels = dict(selectors.level_choices(campaign))
    today = timezone.localdate()
    rows = []
    for e in enrolments:
        result = results[e.pk]
        if result is None:
            rows.append([e.candidate.display_name, e.candidate.email, "—", "—", "—", "", ""])
            continue
        until = selectors.valid_until_of(campaign, result)
        rows.append(
            [
                e.candidate.display_name,
                e.candidate.email,
                labels.get(result.level, result.level),
                f"{result.obtained_on:%d/%m/%Y}",
                _validity(until, today),
                _("cette campagne")
                if result.campaign_id == campaign.pk
                else (result.campaign.title if result.campaign is not None else _("hors campagne")),
                ", ".join(
                    f"{part} : {labels.get(v['level'], v['level'])}" for part, v in result.parts.items()
                ),
            ]
        )
    return render(
        request,
        "testing/automated.html",
        {
            "campaign": campaign,
            "calibration_bank": bank if bank in permissions.banks_managed(user) else None,
            "invitations_url": reverse("invitations:campaign", args=[campaign.pk])
            if bank is not None and bank in selectors.known_banks()
            else None,
            "form": form,
            "upload": upload,
            "table": {
                "headers": [
                    _("Candidat"),
                    _("Adresse"),
                    _("Niveau"),
                    _("Obtenu le"),
                    _("Valable jusqu'au"),
                    _("Enregistré dans"),
                    _("Parties"),
                ],
                "rows": rows,
            },
            "crumbs": [
                (_("Campagnes"), reverse("campaigns:list")),
                (campaign.title, reverse("campaigns:detail", args=[campaign.pk])),
                (_("Résultats du volet automatisé"), ""),
            ],
        },
    )
