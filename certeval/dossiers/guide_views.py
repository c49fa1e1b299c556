"""The candidate guide page (``/mes-certifications/<id>/guide/``): the guide of the campaign's
référentiel (:mod:`certeval.dossiers.guide_data`), for the candidate and the organisers who manage
them; 404 for anyone else, and for a campaign whose référentiel has no guide."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.permissions import enrolments_own_or_managed
from certeval.dossiers import permissions
from certeval.dossiers.guide_data import guide_for


@login_required
@require_GET
def guide(request: AuthenticatedHttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_visible_or_404(
        enrolments_own_or_managed(request.user).select_related("campaign__framework_version"), pk=enrolment_id
    )
    found = guide_for(enrolment.campaign.framework_version.framework_id)
    if found is None:
        raise Http404("No guide for this référentiel.")
    crumbs = [(_("Guide du candidat"), "")]
    if permissions.can_deposit(request.user, enrolment):
        crumbs = [
            (_("Mes certifications"), reverse("dossiers:mine")),
            (_("Dépôt du dossier"), reverse("dossiers:deposit", args=[enrolment.pk])),
            *crumbs,
        ]
    return render(request, "dossiers/guide.html", {"guide": found, "enrolment": enrolment, "crumbs": crumbs})
