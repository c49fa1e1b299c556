"""The write paths of a person's requests (docs/privacy.md, « Rectification and erasure »): file a
request, extend its deadline, accept it (erasure: ``erasure_services``; rectification: the campaigns'
identity-correction path), refuse it with a reason. Each checks its permission, runs in one transaction
with the request locked, writes its audit row and sends its e-mail after commit. An administrator
answers for the data protection officer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.accounts.permissions import is_administrator
from certeval.audit.services import audit_record
from certeval.campaigns.corrections import enrolment_update
from certeval.campaigns.models import CampaignState, Candidate, Enrolment
from certeval.campaigns.services import CampaignError
from certeval.core.uploads import JPEG, PDF, PNG, UploadRejected, inspect_upload, normalise_name
from certeval.privacy import requests_emails
from certeval.privacy.erasure_services import erase_person
from certeval.privacy.requests_deadlines import extended_deadline, first_deadline
from certeval.privacy.requests_models import (
    OPEN_STATUSES,
    PersonRequest,
    RectifiableField,
    RequestKind,
    RequestStatus,
)

PROOF_TYPES = (PDF, PNG, JPEG)


class RequestRefused(Exception):
    """A request or an answer refused, with a French message."""


@dataclass(frozen=True)
class Proof:
    name: str
    size: int
    fileobj: IO[bytes]


def _today(now: datetime) -> date:
    return timezone.localdate(now)


def _candidate_of(user: User) -> Candidate | None:
    return Candidate.objects.filter(user=user).first()


def current_value(candidate: Candidate, field: str) -> str:
    value = getattr(candidate, field)
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value)


def _open_exists(user: User, kind: str) -> bool:
    return PersonRequest.objects.filter(user=user, kind=kind, status__in=OPEN_STATUSES).exists()


def _create(*, by: User, candidate: Candidate, kind: str, now: datetime, **fields: Any) -> PersonRequest:
    """Record the request with its deadline, audit it and acknowledge it (the caller's transaction)."""
    request = PersonRequest.objects.create(
        user=by,
        candidate=candidate,
        kind=kind,
        received_at=now,
        deadline=first_deadline(_today(now)),
        **fields,
    )
    audit_record(
        actor=by,
        action="privacy.request_create",
        target=request,
        data={"kind": kind, **({"field": fields["field"]} if "field" in fields else {})},
        campaign=None,
        person=by,
    )
    requests_emails.enqueue(request.pk, "received")
    return request


def _requester(by: User) -> Candidate:
    candidate = _candidate_of(by)
    if candidate is None:
        raise RequestRefused(_("Aucune donnée de candidat n'est attachée à votre compte."))
    return candidate


def erasure_request(*, by: User, reason: str = "", now: datetime | None = None) -> PersonRequest:
    now = now or timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().get(pk=by.pk)
        candidate = _requester(by)
        if _open_exists(by, RequestKind.ERASURE):
            raise RequestRefused(_("Vous avez déjà une demande d'effacement en cours d'examen."))
        return _create(
            by=by, candidate=candidate, kind=RequestKind.ERASURE, now=now, reason=reason.strip()[:2000]
        )


def _store_proof(proof: Proof) -> tuple[str, str, str]:
    """Inspect then store the proof, outside any transaction (``core.uploads``)."""
    try:
        inspected = inspect_upload(proof.fileobj, size=proof.size)
    except UploadRejected as error:
        raise RequestRefused(str(error)) from error
    if inspected.type not in PROOF_TYPES:
        raise RequestRefused(_("Un justificatif est un PDF, une image PNG ou JPEG."))
    storage = default_storage.save(f"demandes/{uuid.uuid4().hex}.{inspected.type.extension}", proof.fileobj)
    return normalise_name(proof.name, inspected.type.extension), storage, inspected.sha256


def _parse(field: str, value: str) -> Any:
    value = value.strip()
    if not value and field not in (RectifiableField.USUAL_NAME, RectifiableField.BIRTH_PLACE):
        raise RequestRefused(_("Indiquez la valeur demandée."))
    if field == RectifiableField.EMAIL:
        try:
            validate_email(value)
        except ValidationError as error:
            raise RequestRefused(_("Adresse électronique invalide.")) from error
        return value.lower()
    if field == RectifiableField.BIRTH_DATE:
        try:
            return datetime.strptime(value, "%d/%m/%Y").date()
        except ValueError as error:
            raise RequestRefused(_("Date de naissance attendue au format JJ/MM/AAAA.")) from error
    return value


def rectification_request(
    *,
    by: User,
    field: str,
    requested_value: str,
    reason: str,
    proof: Proof | None = None,
    now: datetime | None = None,
) -> PersonRequest:
    now = now or timezone.now()
    if field not in RectifiableField.values:
        raise RequestRefused(_("Choisissez la donnée à rectifier."))
    _parse(field, requested_value)
    if not reason.strip():
        raise RequestRefused(_("Indiquez le motif de la demande."))
    current = current_value(_requester(by), field)
    if current.strip() == requested_value.strip():
        raise RequestRefused(_("La valeur demandée est celle déjà enregistrée."))
    stored = _store_proof(proof) if proof is not None else ("", "", "")
    try:
        with transaction.atomic():
            return _create(
                by=by,
                candidate=_requester(by),
                kind=RequestKind.RECTIFICATION,
                now=now,
                field=field,
                current_value=current[:200],
                requested_value=requested_value.strip()[:200],
                reason=reason.strip()[:2000],
                proof_name=stored[0],
                proof_storage=stored[1],
                proof_sha256=stored[2],
            )
    except Exception:
        if stored[1]:
            default_storage.delete(stored[1])  # nothing kept of a request not recorded
        raise


def _locked_open(request: PersonRequest, by: User) -> PersonRequest:
    if not is_administrator(by):
        raise RequestRefused(_("Réservé aux administrateurs."))
    locked = PersonRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status not in OPEN_STATUSES:
        raise RequestRefused(_("Cette demande a déjà reçu sa réponse."))
    return locked


@transaction.atomic
def request_extend(*, request: PersonRequest, by: User, reason: str) -> PersonRequest:
    """Extend the deadline by two months (art. 12(3)), with the reason told to the person."""
    locked = _locked_open(request, by)
    if locked.status == RequestStatus.EXTENDED:
        raise RequestRefused(_("Le délai de cette demande a déjà été prolongé."))
    if not reason.strip():
        raise RequestRefused(_("Indiquez le motif de la prolongation : il est communiqué à la personne."))
    locked.status = RequestStatus.EXTENDED
    locked.extension_reason = reason.strip()[:2000]
    locked.deadline = extended_deadline(_today(locked.received_at))
    locked.save(update_fields=["status", "extension_reason", "deadline"])
    audit_record(
        actor=by,
        action="privacy.request_extend",
        target=locked,
        data={"deadline": locked.deadline.isoformat()},
        campaign=None,
        person=locked.user,
    )
    requests_emails.enqueue(locked.pk, "extended")
    return locked


@transaction.atomic
def request_refuse(*, request: PersonRequest, by: User, reason: str) -> PersonRequest:
    locked = _locked_open(request, by)
    if not reason.strip():
        raise RequestRefused(
            _("Un refus doit être motivé : indiquez la raison, elle est communiquée à la personne.")
        )
    return _close(locked, RequestStatus.REFUSED, reason, by, timezone.now(), {})


def _close(
    locked: PersonRequest, status: str, answer: str, by: User, now: datetime, report: dict[str, object]
) -> PersonRequest:
    """Record the answer, audit it and tell the person."""
    locked.status = status
    locked.report = report
    locked.answer = answer.strip()[:4000]
    locked.answered_at = now
    locked.answered_by = by
    locked.save(update_fields=["status", "report", "answer", "answered_at", "answered_by"])
    audit_record(
        actor=by,
        action="privacy.request_accept" if status == RequestStatus.ACCEPTED else "privacy.request_refuse",
        target=locked,
        data={"kind": locked.kind},
        campaign=None,
        person=locked.user,
    )
    requests_emails.enqueue(locked.pk, "answered")
    return locked


@transaction.atomic
def request_accept(*, request: PersonRequest, by: User, answer: str = "") -> PersonRequest:
    """Accept: an erasure erases what the law allows (with its report); a rectification applies the
    correction. Re-authentication wraps the view that calls this (docs/privacy.md)."""
    locked = _locked_open(request, by)
    now = timezone.now()
    if locked.candidate is None:
        raise RequestRefused(_("Aucune donnée de candidat n'est attachée à cette demande."))
    candidate = Candidate.objects.select_for_update().get(pk=locked.candidate.pk)
    if locked.kind == RequestKind.ERASURE:
        report = erase_person(candidate, now=now)
        audit_record(
            actor=by,
            action="privacy.erasure",
            target=locked,
            data={
                "erased": {k: v for k, v in report.items() if k not in ("kept", "ongoing_campaigns")},
                "kept": report["kept"],
            },
            campaign=None,
            person=locked.user,
        )
    else:
        report = {"field": locked.field}
        _rectify(candidate, locked.field, locked.requested_value, by)
    return _close(locked, RequestStatus.ACCEPTED, answer, by, now, report)


def _rectify(candidate: Candidate, field: str, value: str, by: User) -> None:
    """Apply the correction: identity fields through the campaigns' correction path (its permission,
    checks and audit), on an enrolment of a campaign not archived; the e-mail address (the login)
    here, on the person and their account together."""
    parsed = _parse(field, value)
    if field == RectifiableField.EMAIL:
        address = str(parsed)
        if User.objects.filter(email=address).exclude(pk=candidate.user_id).exists() or (
            Candidate.objects.filter(email=address).exclude(pk=candidate.pk).exists()
        ):
            raise RequestRefused(_("Cette adresse est déjà celle d'un autre compte."))
        Candidate.objects.filter(pk=candidate.pk).update(email=address)
        User.objects.filter(pk=candidate.user_id).update(email=address)
    else:
        _correct_identity(candidate, field, parsed, by)
    audit_record(
        actor=by,
        action="privacy.rectification",
        target=candidate,
        data={"field": field},
        campaign=None,
        person=candidate.user,
    )


def _correct_identity(candidate: Candidate, field: str, parsed: Any, by: User) -> None:
    enrolment = (
        Enrolment.objects.filter(candidate=candidate)
        .exclude(campaign__state=CampaignState.ARCHIVED)
        .order_by("-pk")
        .first()
    )
    if enrolment is None:
        raise RequestRefused(
            _(
                "Toutes les campagnes de cette personne sont archivées : l'identité ne peut plus y être corrigée."
            )
        )
    try:
        enrolment_update(enrolment=enrolment, by=by, identity={field: parsed}, changes={})
    except CampaignError as error:
        raise RequestRefused(str(error)) from error


def proof_open(*, request: PersonRequest, by: User) -> IO[bytes]:
    with transaction.atomic():
        audit_record(
            actor=by, action="privacy.proof_download", target=request, campaign=None, person=request.user
        )
    return default_storage.open(request.proof_storage, "rb")
