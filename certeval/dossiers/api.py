"""Dossier files through the API: list, upload, download, freeze, receipt — same rules as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import FileResponse, Http404
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.consult import consult_enrolment
from certeval.campaigns.models import Enrolment
from certeval.campaigns.permissions import enrolments_own_or_managed
from certeval.core.body_limits import MEDIA, body_limit
from certeval.dossiers import permissions, selectors, services
from certeval.dossiers.models import DossierFile, DossierState

router = Router(tags=["dossiers"])


class FileOut(Schema):
    id: int
    kind: str
    component: str
    title: str
    name: str
    content_type: str
    size: int
    sha256: str
    page_count: int | None
    char_count: int | None
    sanitised_note: str
    link_url: str
    uploaded_at: datetime
    replaces_id: int | None


class DossierOut(Schema):
    enrolment_id: int
    state: str
    frozen_at: datetime | None
    frozen_reason: str
    files: list[FileOut]


class UploadIn(Schema):
    kind: str = "document"
    component: str = ""
    title: str = ""
    link_url: str = ""
    replaces_id: int | None = None


def _dossier_out(enrolment: Enrolment) -> dict[str, Any]:
    dossier = selectors.dossier_for_display(enrolment)
    return {
        "enrolment_id": enrolment.pk,
        "state": dossier.state,
        "frozen_at": dossier.frozen_at,
        "frozen_reason": dossier.frozen_reason,
        "files": selectors.current_files(dossier),
    }


def _readable(request: AuthenticatedHttpRequest, enrolment_id: int) -> Enrolment:
    return get_visible_or_404(permissions.enrolments_with_readable_dossier(request.user), pk=enrolment_id)


def _own(request: AuthenticatedHttpRequest, enrolment_id: int) -> Enrolment:
    enrolment = _readable(request, enrolment_id)
    if not permissions.can_deposit(request.user, enrolment):
        raise Http404("No such dossier.")
    return enrolment


@router.get("/{enrolment_id}", response=DossierOut, summary="A dossier and its current files")
def get_dossier(request: AuthenticatedHttpRequest, enrolment_id: int) -> dict[str, Any]:
    enrolment = _readable(request, enrolment_id)
    consult_enrolment(request.user, enrolment, "dossier_reading")
    return _dossier_out(enrolment)


@router.post(
    "/{enrolment_id}/files", response={201: FileOut}, summary="Upload a file (candidate, before the deadline)"
)
@body_limit(MEDIA)
def upload_file(
    request: AuthenticatedHttpRequest, enrolment_id: int, payload: Form[UploadIn], file: File[UploadedFile]
) -> Status[DossierFile]:
    enrolment = _own(request, enrolment_id)
    replaces = None
    if payload.replaces_id is not None:
        replaces = DossierFile.objects.filter(pk=payload.replaces_id, dossier__enrolment=enrolment).first()
        if replaces is None:
            raise HttpError(422, "Le fichier à remplacer n'est pas un fichier de votre dossier.")
    try:
        stored = services.dossier_file_upload(
            enrolment=enrolment,
            by=request.user,
            fileobj=file,
            original_name=file.name or "",
            size=file.size or 0,
            kind=payload.kind,
            title=payload.title,
            link_url=payload.link_url,
            component=payload.component,
            replaces=replaces,
            content_type=file.content_type,
        )
    except services.DepositRefused as error:
        raise HttpError(422, str(error)) from error
    return Status(201, stored)


@router.get("/files/{file_id}/content", summary="Download a file (permission-checked, audited)")
def download_file(request: AuthenticatedHttpRequest, file_id: int) -> FileResponse:
    stored = get_visible_or_404(permissions.dossier_files_visible(request.user), pk=file_id)
    stream = services.dossier_file_read(file=stored, by=request.user)
    return FileResponse(stream, as_attachment=True, filename=stored.name, content_type=stored.content_type)


@router.post("/{enrolment_id}/freeze", response=DossierOut, summary="Final submission: freeze the dossier")
def freeze(request: AuthenticatedHttpRequest, enrolment_id: int) -> dict[str, Any]:
    enrolment = _own(request, enrolment_id)
    try:
        services.dossier_submit(enrolment=enrolment, by=request.user)
    except services.DepositRefused as error:
        raise HttpError(409, str(error)) from error
    return _dossier_out(enrolment)


@router.get("/{enrolment_id}/receipt", summary="The receipt PDF of a frozen dossier")
def receipt(request: AuthenticatedHttpRequest, enrolment_id: int) -> FileResponse:
    # The receipt states the birth date: the candidate and organisers only, not the jury
    # (docs/privacy.md, « Minimisation »).
    enrolment = get_visible_or_404(enrolments_own_or_managed(request.user), pk=enrolment_id)
    dossier = selectors.dossier_of(enrolment)
    if dossier is None or dossier.state != DossierState.SUBMITTED:
        raise Http404("No receipt yet.")
    issued = services.receipt_issue(dossier_id=dossier.pk)
    stream = services.receipt_read(receipt=issued, by=request.user)
    return FileResponse(
        stream,
        as_attachment=True,
        filename=f"recepisse-dossier-{dossier.pk}.pdf",
        content_type="application/pdf",
    )
