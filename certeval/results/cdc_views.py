"""The « Déclaration Caisse des Dépôts » page of a campaign: its holders and what they lack, the flux
to produce and download, the acknowledgement to import with its rejected rows, each holder's
correction, and (administrators) how the référentiel is declared."""

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
from certeval.accounts.permissions import get_visible_or_404, is_administrator
from certeval.campaigns.models import Campaign
from certeval.core.body_limits import UPLOAD, body_limit
from certeval.results import cdc_selectors as selectors
from certeval.results import permissions
from certeval.results.cdc_forms import AcknowledgementForm, CdcSettingsForm, HolderCorrectionForm
from certeval.results.cdc_services import (
    CdcRefused,
    cdc_acknowledgement_import,
    cdc_export,
    cdc_holder_correct,
    cdc_settings_update,
    cdc_submission_read,
    export_blockers,
)
from certeval.results.models import CdcSettings, CdcSubmission


def _campaign(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    return get_visible_or_404(
        permissions.cdc_campaigns(request.user).select_related("framework_version"), pk=campaign_id
    )


def _whole(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    """The campaign, for those who declare it as a whole (404 for everyone else)."""
    campaign = _campaign(request, campaign_id)
    if not permissions.can_declare_cdc(request.user, campaign):
        raise Http404
    return campaign


def _page(
    request: AuthenticatedHttpRequest,
    campaign: Campaign,
    *,
    upload: AcknowledgementForm | None = None,
    settings_form: CdcSettingsForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    whole = permissions.can_declare_cdc(user, campaign)
    scope = None if whole else permissions.cdc_holders_managed(user)
    rows = selectors.holder_rows(campaign, scope)
    config = selectors.declaration_config(campaign)
    framework_id = campaign.framework_version.framework_id
    admin = is_administrator(user)
    if admin and settings_form is None:
        settings_form = CdcSettingsForm(
            instance=CdcSettings.objects.filter(framework_id=framework_id).first()
            or CdcSettings(framework_id=framework_id, declares=config.declares)
        )
    context: dict[str, Any] = {
        "campaign": campaign,
        "config": config,
        "whole": whole,
        "admin": admin,
        "rows": rows,
        "summary": selectors.status_summary(rows),
        "notice": selectors.deadline_notice(campaign, rows),
        "blockers": export_blockers(campaign) if whole and rows else [],
        "errors": errors or [],
        "submissions": selectors.submissions_of(campaign) if whole else [],
        "rejected": selectors.rejected_acknowledgements(campaign, scope),
        "upload": upload or AcknowledgementForm(),
        "settings_form": settings_form,
        "crumbs": [
            (_("Campagnes"), reverse("campaigns:list")),
            (campaign.title, reverse("campaigns:detail", args=[campaign.pk])),
            (_("Déclaration Caisse des Dépôts"), ""),
        ],
    }
    return render(request, "results/cdc_campaign.html", context, status=status)


@login_required
@require_GET
def campaign_declaration(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    return _page(request, _campaign(request, campaign_id))


@login_required
@require_POST
def export(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _whole(request, campaign_id)
    try:
        submission = cdc_export(campaign=campaign, by=request.user)
    except CdcRefused as refused:
        return _page(request, campaign, errors=refused.reasons, status=422)
    messages.success(
        request,
        _("Flux « %(file)s » produit et validé par le schéma : %(n)s passage(s). Téléchargez-le ci-dessous.")
        % {"file": submission.file_name, "n": submission.passages.count()},
    )
    return redirect("cdc:campaign", campaign.pk)


@login_required
@require_GET
def download(request: AuthenticatedHttpRequest, submission_id: int) -> HttpResponse:
    submission = get_visible_or_404(
        CdcSubmission.objects.filter(campaign__in=permissions.cdc_campaigns(request.user)).select_related(
            "campaign"
        ),
        pk=submission_id,
    )
    if not permissions.can_declare_cdc(request.user, submission.campaign):
        raise Http404
    response = HttpResponse(
        cdc_submission_read(submission=submission, by=request.user), content_type="application/xml"
    )
    response["Content-Disposition"] = f'attachment; filename="{submission.file_name}"'
    return response


@body_limit(UPLOAD)
@login_required
@require_POST
def acknowledgement(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _whole(request, campaign_id)
    upload = AcknowledgementForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _page(request, campaign, upload=upload, status=422)
    file = upload.cleaned_data["file"]
    try:
        result = cdc_acknowledgement_import(
            campaign=campaign, by=request.user, file_name=file.name, content=file.read()
        )
    except CdcRefused as refused:
        return _page(
            request,
            campaign,
            upload=upload,
            errors=[_("Accusé de traitement refusé, rien n'a été importé."), *refused.reasons],
            status=422,
        )
    messages.success(
        request,
        _("Accusé de traitement importé : %(ok)s passage(s) accepté(s), %(ko)s rejeté(s).")
        % {"ok": result.accepted, "ko": result.rejected},
    )
    return redirect("cdc:campaign", campaign.pk)


@login_required
@require_POST
def declaration_settings(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    if not is_administrator(request.user):
        raise Http404
    framework_id = campaign.framework_version.framework_id
    form = CdcSettingsForm(
        request.POST,
        instance=CdcSettings.objects.filter(framework_id=framework_id).first()
        or CdcSettings(framework_id=framework_id),
    )
    if not form.is_valid():
        return _page(request, campaign, settings_form=form, status=422)
    values = {name: form.cleaned_data[name] for name in form.Meta.fields}
    try:
        cdc_settings_update(framework_id=framework_id, by=request.user, values=values)
    except CdcRefused as refused:  # pragma: no cover - administrators only reach here
        return _page(request, campaign, settings_form=form, errors=refused.reasons, status=422)
    messages.success(request, _("Réglages de déclaration enregistrés."))
    return redirect("cdc:campaign", campaign.pk)


@login_required
def holder_correction(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    """Correct a holder's data (organisers within their academy); the next flux re-sends it."""
    enrolment = get_visible_or_404(
        permissions.cdc_holders_managed(request.user).select_related(
            "candidate", "campaign__framework_version"
        ),
        pk=enrolment_id,
    )
    campaign = enrolment.campaign
    row = next((r for r in selectors.holder_rows(campaign) if r.enrolment.pk == enrolment.pk), None)
    if row is None:
        raise Http404
    candidate = enrolment.candidate
    initial = {
        "birth_name": candidate.birth_name,
        "usual_name": candidate.usual_name,
        "first_names": candidate.first_names,
        "birth_date": candidate.birth_date,
        "sex": row.holder.sex,
        "birth_insee_code": row.holder.birth_insee_code,
    }
    form = HolderCorrectionForm(request.POST or None, initial=initial)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cdc_holder_correct(
                enrolment=enrolment,
                by=request.user,
                identity={
                    name: data[name] for name in ("birth_name", "usual_name", "first_names", "birth_date")
                },
                sex=data["sex"],
                birth_insee_code=data["birth_insee_code"],
            )
        except CdcRefused as refused:
            errors = refused.reasons
        else:
            messages.success(
                request,
                _("Données de %(name)s corrigées : le prochain flux renverra le même passage.")
                % {"name": candidate.display_name},
            )
            return redirect("cdc:campaign", campaign.pk)
    return render(
        request,
        "results/cdc_holder.html",
        {
            "campaign": campaign,
            "row": row,
            "form": form,
            "errors": errors,
            "crumbs": [
                (_("Campagnes"), reverse("campaigns:list")),
                (campaign.title, reverse("campaigns:detail", args=[campaign.pk])),
                (_("Déclaration Caisse des Dépôts"), reverse("cdc:campaign", args=[campaign.pk])),
                (candidate.display_name, ""),
            ],
        },
        status=422 if request.method == "POST" else 200,
    )
