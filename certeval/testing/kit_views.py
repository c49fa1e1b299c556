"""Session kits to print: one session's kit (PDF), and the kits of every proctored session of a
campaign the user sees (zip). For the people who see the session's console: organisers running the
campaign, the session's invigilators, administrators (``permissions.deliveries_invigilated``);
everyone else gets 404, as for an absent session."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.testing import kits
from certeval.testing.kit_services import kits_downloaded
from certeval.testing.permissions import deliveries_invigilated

RELATED = ("session__campaign__framework_version",)


@login_required
@require_GET
def session_kit(request: AuthenticatedHttpRequest, session_id: int) -> HttpResponse:
    delivery = get_visible_or_404(
        deliveries_invigilated(request.user).select_related(*RELATED), session_id=session_id
    )
    pdf = kits.kit_pdf(delivery)
    kits_downloaded(deliveries=[delivery], actor=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{kits.kit_filename(delivery)}"'
    return response


@login_required
@require_GET
def campaign_kits(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    deliveries = list(
        deliveries_invigilated(request.user)
        .filter(session__campaign_id=campaign_id)
        .select_related(*RELATED)
        .order_by("session__starts_at", "session_id")
    )
    if not deliveries:
        raise Http404("No proctored session.")
    archive = kits.kit_archive(deliveries)
    kits_downloaded(deliveries=deliveries, actor=request.user)
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="kits-sessions-campagne-{campaign_id}.zip"'
    return response
