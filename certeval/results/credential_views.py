"""Pages of the Open Badges 3.0 credentials: the public issuer documents (profile, keys, status
lists), open to anyone and to other origins, and the holder's downloads (JSON, VC-JWT, baked PNG)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.results.credential_build import issuer
from certeval.results.credential_keys import (
    KeyStoreError,
    controller_document,
    jwks,
    keys_ensure,
    public_jwk_of,
)
from certeval.results.credential_services import (
    baked_png,
    credential_for,
    credential_json,
    status_list_count,
    status_list_document,
)
from certeval.results.models import Award, Credential, IssuerKey

logger = logging.getLogger(__name__)


def _public_json(data: dict[str, Any], content_type: str = "application/json") -> JsonResponse:
    response = JsonResponse(data, content_type=content_type, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def issuer_profile(request: HttpRequest) -> JsonResponse:
    return _public_json(issuer().profile(), "application/ld+json")


@require_GET
def issuer_keys(request: HttpRequest) -> JsonResponse:
    keys_ensure()
    return _public_json(controller_document(), "application/ld+json")


@require_GET
def issuer_jwks(request: HttpRequest) -> JsonResponse:
    keys_ensure()
    return _public_json(jwks(), "application/jwk-set+json")


@require_GET
def issuer_jwk(request: HttpRequest, kid: str) -> JsonResponse:
    key = get_visible_or_404(IssuerKey.objects.all(), kid=kid)
    return _public_json(public_jwk_of(key), "application/jwk+json")


@require_GET
def status_list(request: HttpRequest, number: int) -> JsonResponse:
    if number >= status_list_count():
        raise Http404("No such status list.")
    response = _public_json(status_list_document(number), "application/vc+ld+json")
    response["Cache-Control"] = "no-cache"  # a revocation shows at once
    return response


def _holder_award(request: AuthenticatedHttpRequest, award_id: int) -> Award:
    visible = Award.objects.filter(candidate__user=request.user, revoked_at__isnull=True)
    return get_visible_or_404(visible, pk=award_id)


def _signed(award: Award) -> Credential | None:
    """The award's credential, or None when it cannot be signed (the stored keys are unreadable)."""
    try:
        return credential_for(award)
    except KeyStoreError as error:
        logger.error("credential of award %s not signed: %s", award.pk, error)
        return None


def _unavailable() -> HttpResponse:
    message = _("Le badge numérique ne peut pas être signé pour le moment. Réessayez plus tard.")
    return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")


def _attachment(body: str | bytes, content_type: str, award: Award, suffix: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="openbadge-{award.grouped_code}.{suffix}"'
    response["Cache-Control"] = "private, no-store"
    return response


# suffix → (content type, the body of a credential in that form)
FORMS: dict[str, tuple[str, Callable[[Credential], str | bytes]]] = {
    "json": ("application/vc+ld+json; charset=utf-8", credential_json),
    "jwt": ("application/vc+jwt", lambda item: item.jwt),
    "png": ("image/png", baked_png),
}


def _download(request: AuthenticatedHttpRequest, award_id: int, suffix: str) -> HttpResponse:
    award = _holder_award(request, award_id)
    item = _signed(award)
    if item is None:
        return _unavailable()
    content_type, render = FORMS[suffix]
    return _attachment(render(item), content_type, award, suffix)


@login_required
@require_GET
def download_json(request: AuthenticatedHttpRequest, award_id: int) -> HttpResponse:
    return _download(request, award_id, "json")


@login_required
@require_GET
def download_jwt(request: AuthenticatedHttpRequest, award_id: int) -> HttpResponse:
    return _download(request, award_id, "jwt")


@login_required
@require_GET
def download_png(request: AuthenticatedHttpRequest, award_id: int) -> HttpResponse:
    return _download(request, award_id, "png")
