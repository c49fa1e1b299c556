"""The privacy notices, public: the list of processings and one notice per processing
(``/donnees-personnelles/traitements/<slug>/``), optionally for one campaign (``?campagne=<id>``) whose
certifying organisation is then named as the controller (docs/privacy.md, « Notices and register »)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certeval.campaigns.models import Campaign, CampaignState
from certeval.core.privacy_notices import controller, processing_by_slug, processings, retention_rows


def _campaign(request: HttpRequest) -> Campaign | None:
    """The campaign named by ``?campagne=``, once out of draft (a wrong value is ignored: the page
    then names the certifier, which is never false)."""
    raw = request.GET.get("campagne", "")
    if not raw.isdigit():
        return None
    return (
        Campaign.objects.exclude(state=CampaignState.DRAFT)
        .select_related("organisation")
        .filter(pk=int(raw))
        .first()
    )


@require_GET
def notice_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/notice_index.html",
        {
            "processings": processings(),
            "controller": controller(),
            "crumbs": [(_("Vos données personnelles"), "")],
        },
    )


@require_GET
def notice_detail(request: HttpRequest, slug: str) -> HttpResponse:
    found = processing_by_slug(slug)
    if found is None:
        raise Http404("No such processing.")
    campaign = _campaign(request)
    return render(
        request,
        "privacy/notice_detail.html",
        {
            "processing": found,
            "campaign": campaign,
            "controller": controller(campaign),
            "retention": retention_rows(found),
            "crumbs": [
                (_("Vos données personnelles"), reverse("privacy:notices")),
                (found.title, ""),
            ],
        },
    )
