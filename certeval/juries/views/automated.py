"""Jury pages: automated-part results of a campaign, one by one or imported."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from certeval.juries import selectors
from certeval.juries.errors import JuryError
from certeval.juries.forms import (
    AutomatedImportForm,
    AutomatedResultForm,
)
from certeval.juries.services.automated import automated_result_record, automated_results_import
from certeval.juries.views.common import _refused
from certeval.juries.views.composition import _managed_campaign
from certeval.juries.views.pool import _pool_crumbs


@login_required
def automated_results(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Organisers record one candidate's automated result or import a CSV file of them."""
    campaign = _managed_campaign(request, campaign_id)
    which = request.POST.get("form") if request.method == "POST" else None
    form = AutomatedResultForm(request.POST if which == "one" else None, campaign=campaign)
    upload = AutomatedImportForm(request.POST if which == "import" else None, request.FILES or None)
    try:
        if which == "one" and form.is_valid():
            automated_result_record(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Résultat enregistré."))
            return redirect("juries:automated", campaign.pk)
        if which == "import" and upload.is_valid():
            raw = upload.cleaned_data["file"].read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise JuryError(_("Le fichier doit être encodé en UTF-8.")) from None
            count = automated_results_import(campaign=campaign, text=text, actor=request.user)
            messages.success(request, _("%(n)s ligne(s) importée(s).") % {"n": count})
            return redirect("juries:automated", campaign.pk)
    except JuryError as error:
        _refused(request, error)
    labels = dict(selectors.level_choices(campaign))
    rows = [
        [
            e.candidate.display_name,
            e.candidate.email,
            labels.get(e.automated_result.level, e.automated_result.level)
            if hasattr(e, "automated_result")
            else "—",
            f"{e.automated_result.obtained_on:%d/%m/%Y}" if hasattr(e, "automated_result") else "—",
            ", ".join(
                f"{part} : {labels.get(v['level'], v['level'])}"
                for part, v in e.automated_result.parts.items()
            )
            if hasattr(e, "automated_result")
            else "",
        ]
        for e in selectors.enrolments_with_results(campaign)
    ]
    return render(
        request,
        "juries/automated.html",
        {
            "campaign": campaign,
            "form": form,
            "upload": upload,
            "table": {
                "headers": [_("Candidat"), _("Adresse"), _("Niveau"), _("Obtenu le"), _("Parties")],
                "rows": rows,
            },
            "crumbs": _pool_crumbs(campaign, _("Résultats du volet automatisé")),
        },
    )
