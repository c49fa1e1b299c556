"""Item calibration through the API, with the pages' permissions: the managers of a bank (organisers
running a campaign of that bank as a whole, administrators) list its calibrations, follow one's
progress and start one; anyone else gets the same 404 as for an absent bank."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.testing import calibration_selectors as selectors
from certeval.testing.calibration_services import calibration_start
from certeval.testing.errors import TestingError
from certeval.testing.models import Calibration
from certeval.testing.permissions import banks_managed

router = Router(tags=["calibration"])


class CalibrationIn(Schema):
    model: Literal["2pl", "3pl"] = "2pl"


class CalibrationOut(Schema):
    id: int
    bank: str
    model: str
    status: str
    status_label: str
    progress: float
    message: str
    responses: int
    respondents: int
    calibrated: int | None
    skipped: int | None
    flagged: int | None
    bank_version: int | None
    created_at: datetime
    finished_at: datetime | None
    url: str


def _out(calibration: Calibration) -> dict[str, Any]:
    result = calibration.result or {}
    summary = result.get("summary") or {}
    return {
        "id": calibration.pk,
        "bank": calibration.bank,
        "model": calibration.model,
        "status": calibration.status,
        "status_label": calibration.get_status_display(),
        "progress": calibration.progress,
        "message": calibration.message,
        "responses": calibration.responses,
        "respondents": calibration.candidates,
        "calibrated": summary.get("calibrated"),
        "skipped": summary.get("skipped"),
        "flagged": summary.get("flagged"),
        "bank_version": result.get("bank_version"),
        "created_at": calibration.created_at,
        "finished_at": calibration.finished_at,
        "url": reverse("calibrations:detail", args=[calibration.bank, calibration.pk]),
    }


def _check_bank(request: AuthenticatedHttpRequest, bank: str) -> None:
    if bank not in banks_managed(request.user):
        raise Http404("No such bank.")


@router.get(
    "/banks/{bank}/calibrations",
    response=list[CalibrationOut],
    summary="A bank's calibrations, newest first (the bank's managers)",
)
def list_calibrations(request: AuthenticatedHttpRequest, bank: str) -> list[dict[str, Any]]:
    _check_bank(request, bank)
    return [_out(c) for c in selectors.calibrations_of(bank)]


@router.post(
    "/banks/{bank}/calibrations",
    response={202: CalibrationOut},
    summary="Start a calibration of the bank (run in the background; 409 while another one runs)",
)
def start_calibration(request: AuthenticatedHttpRequest, bank: str, payload: CalibrationIn) -> Status:
    _check_bank(request, bank)
    try:
        calibration = calibration_start(bank=bank, model=payload.model, actor=request.user)
    except TestingError as error:
        raise HttpError(409, str(error)) from error
    return Status(202, _out(calibration))


@router.get(
    "/banks/{bank}/calibrations/{calibration_id}",
    response=CalibrationOut,
    summary="A calibration's status and progress, and its summary once done",
)
def get_calibration(request: AuthenticatedHttpRequest, bank: str, calibration_id: int) -> dict[str, Any]:
    _check_bank(request, bank)
    return _out(get_object_or_404(Calibration, pk=calibration_id, bank=bank))
