"""Public verification of an award through the API: the same rules as the page (what the holder
agreed to show, the same neutral 404 for unknown and malformed codes, the same rate limit)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from certeval.core.api_schemas import ErrorOut
from certeval.results import award_selectors as selectors

router = Router(tags=["vérification des attestations"])

NEUTRAL = "No award matches this code."


class VerificationOut(Schema):
    code: str
    kind: str
    kind_label: str
    title: str
    status: str
    holder: str | None
    level: str | None
    awarded_on: date | None
    valid_from: date | None
    valid_until: date | None
    revoked_on: date | None


@router.get(
    "/{code}",
    auth=None,
    response={200: VerificationOut, 404: ErrorOut, 429: ErrorOut},
    summary="Verify an award by its code: what its holder shows, and valid, expired or revoked",
)
def verify(request: HttpRequest, code: str, response: HttpResponse) -> Any:
    response["Cache-Control"] = "no-store"
    if selectors.verification_throttled(request):
        response["Retry-After"] = str(selectors.retry_after_seconds())
        return Status(429, {"detail": "Too many verifications from this client; retry later."})
    award = selectors.award_by_code(code[:64])
    if award is None:
        raise HttpError(404, NEUTRAL)
    return Status(200, asdict(selectors.public_award(award)))
