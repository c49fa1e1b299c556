"""Writes of dossiers: deposit, replacement, withdrawal, freeze, closing at the deadline, receipts.

Every write is atomic with its audit row. A refused attempt (late deposit, change to a frozen
dossier, rejected file) is audited in a committed transaction before the error is raised.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns import prerequisites
from certeval.campaigns.deadlines import is_on_time, paris_text
from certeval.campaigns.models import Campaign, CampaignState, Enrolment, PrerequisitePolicy
from certeval.dossiers.models import Dossier, DossierFile, DossierState, Receipt
from certeval.dossiers.uploads import UploadRejected, inspect_upload, normalise_name

NOT_DEPOSITED_REASON = "Dossier non déposé (éliminatoire)"
FROZEN_AT_DEADLINE = "Date limite de dépôt atteinte"
FROZEN_ON_SUBMISSION = "Dépôt définitif par le candidat"


class DepositRefused(Exception):
    """A refused dossier operation; the message is French and shown to the candidate."""


def _storage_hash(storage_name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(storage_name, "rb") as stored:
        for chunk in iter(lambda: stored.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _freeze(dossier: Dossier, *, by: User | None, reason: str, now: datetime) -> None:
    """Freeze a draft dossier: check every current file against its recorded hash, then close it."""
    files = list(dossier.files.current())
    for stored in files:
        if _storage_hash(stored.storage_name) != stored.sha256:
            raise DepositRefused(
                _("Le fichier « %(name)s » ne correspond plus à son empreinte : contactez l'organisateur.")
                % {"name": stored.name}
            )
    dossier.state = DossierState.SUBMITTED
    dossier.frozen_at = now
    dossier.frozen_reason = reason
    dossier.save()
    audit_record(
        actor=by,
        action="dossier.freeze",
        target=dossier,
        message=reason,
        data={"files": [{"id": f.pk, "name": f.name, "sha256": f.sha256, "size": f.size} for f in files]},
    )
    from certeval.dossiers.tasks import issue_receipt

    transaction.on_commit(partial(issue_receipt.enqueue, dossier.pk))


def _mark_not_deposited(dossier: Dossier, *, by: User | None, now: datetime) -> None:
    dossier.state = DossierState.NOT_DEPOSITED
    dossier.frozen_at = now
    dossier.frozen_reason = NOT_DEPOSITED_REASON
    dossier.save()
    enrolment = dossier.enrolment
    enrolment.status = Enrolment.Status.ELIMINATED
    enrolment.status_reason = NOT_DEPOSITED_REASON
    enrolment.save(update_fields=["status", "status_reason"])
    audit_record(actor=by, action="dossier.not_deposited", target=dossier, message=NOT_DEPOSITED_REASON)


def _close_if_due(dossier: Dossier, *, now: datetime, by: User | None) -> None:
    """At the deadline a draft dossier closes: frozen when it holds files, else not deposited."""
    if dossier.is_frozen or is_on_time(now=now, deadline=dossier.enrolment.campaign.deposit_deadline):
        return
    if dossier.files.current().exists():
        _freeze(dossier, by=by, reason=FROZEN_AT_DEADLINE, now=now)
    else:
        _mark_not_deposited(dossier, by=by, now=now)


def _refusal(dossier: Dossier, *, now: datetime, by: User | None) -> str | None:
    """Why a change to the dossier is refused now, or None when it is allowed."""
    _close_if_due(dossier, now=now, by=by)
    deadline = paris_text(dossier.enrolment.campaign.deposit_deadline)
    if dossier.state == DossierState.NOT_DEPOSITED:
        return _(
            "Le dépôt est clos depuis le %(deadline)s : votre dossier n'a pas été déposé à temps "
            "(dossier non déposé, éliminatoire)."
        ) % {"deadline": deadline}
    if not is_on_time(now=now, deadline=dossier.enrolment.campaign.deposit_deadline):
        return _("Le dépôt est clos depuis le %(deadline)s : votre dossier est figé tel qu'il était.") % {
            "deadline": deadline
        }
    if dossier.is_frozen:
        return _("Votre dossier est déposé et figé : il ne peut plus être modifié.")
    return None


def _prerequisite_refusal(enrolment: Enrolment) -> str | None:
    """Why the deposit is refused for a missing prerequisite, when the campaign says so."""
    if enrolment.campaign.prerequisite_policy != PrerequisitePolicy.REFUSE_DEPOSIT:
        return None
    message = prerequisites.unmet_message(prerequisites.enrolment_checks(enrolment))
    return message or None


def _locked(enrolment: Enrolment) -> Dossier:
    dossier, _created = Dossier.objects.get_or_create(enrolment=enrolment)
    return Dossier.objects.select_for_update().select_related("enrolment__campaign").get(pk=dossier.pk)


def dossier_file_upload(
    *,
    enrolment: Enrolment,
    by: User,
    fileobj: IO[bytes],
    original_name: str,
    size: int,
    kind: str,
    title: str,
    link_url: str = "",
    replaces: DossierFile | None = None,
    now: datetime | None = None,
) -> DossierFile:
    """Store one file in a draft dossier before the deadline; optionally as a new version of a file."""
    now = now or timezone.now()
    with transaction.atomic():
        dossier = _locked(enrolment)
        refusal = _refusal(dossier, now=now, by=by) or _prerequisite_refusal(enrolment)
        if (
            refusal is None
            and replaces is not None
            and (replaces.dossier_id != dossier.pk or not replaces.is_current)
        ):
            refusal = _("Le fichier à remplacer n'est pas un fichier en cours de votre dossier.")
        if refusal is None and kind not in DossierFile.Kind.values:
            refusal = _("Nature de fichier inconnue.")
        if refusal is None:
            try:
                inspected = inspect_upload(fileobj, size=size)
            except UploadRejected as error:
                refusal = str(error)
        if refusal is not None:
            audit_record(
                actor=by,
                action="dossier.upload",
                target=dossier,
                refused=True,
                message=refusal,
                data={"name": original_name[:300], "size": size},
            )
        else:
            name = normalise_name(original_name, inspected.type.extension)
            storage_name = default_storage.save(
                f"dossiers/{enrolment.campaign_id}/{enrolment.pk}/{uuid.uuid4().hex}.{inspected.type.extension}",
                fileobj,
            )
            if replaces is not None:
                replaces.superseded_at = now
                replaces.save(update_fields=["superseded_at"])
            stored = DossierFile(
                dossier=dossier,
                kind=kind,
                title=title.strip()[:200] or name,
                name=name,
                original_name=original_name[:300],
                storage_name=storage_name,
                content_type=inspected.type.content_type,
                size=inspected.size,
                sha256=inspected.sha256,
                page_count=inspected.page_count,
                char_count=inspected.char_count,
                link_url=link_url,
                uploaded_at=now,
                uploaded_by=by,
                replaces=replaces,
            )
            stored.full_clean(exclude=["replaces"])
            stored.save()
            audit_record(
                actor=by,
                action="dossier.upload",
                target=dossier,
                data={
                    "file": stored.pk,
                    "name": name,
                    "sha256": stored.sha256,
                    "size": stored.size,
                    "replaces": replaces.pk if replaces else None,
                },
            )
            return stored
    raise DepositRefused(refusal)


def dossier_file_withdraw(*, file: DossierFile, by: User, now: datetime | None = None) -> DossierFile:
    """Take a file out of the draft dossier; its bytes and row are kept."""
    now = now or timezone.now()
    with transaction.atomic():
        dossier = _locked(file.dossier.enrolment)
        refusal = _refusal(dossier, now=now, by=by)
        if refusal is None:
            file.refresh_from_db()
            if not file.is_current:
                refusal = _("Ce fichier n'est plus dans votre dossier.")
        if refusal is None:
            file.withdrawn_at = now
            file.save(update_fields=["withdrawn_at"])
            audit_record(actor=by, action="dossier.withdraw", target=dossier, data={"file": file.pk})
            return file
        audit_record(
            actor=by,
            action="dossier.withdraw",
            target=dossier,
            refused=True,
            message=refusal,
            data={"file": file.pk},
        )
    raise DepositRefused(refusal)


def dossier_submit(*, enrolment: Enrolment, by: User, now: datetime | None = None) -> Dossier:
    """Final submission by the candidate: the dossier is frozen and a receipt is issued."""
    now = now or timezone.now()
    with transaction.atomic():
        dossier = _locked(enrolment)
        refusal = _refusal(dossier, now=now, by=by) or _prerequisite_refusal(enrolment)
        if refusal is None and not dossier.files.current().exists():
            refusal = _("Déposez au moins un fichier avant de soumettre votre dossier.")
        if refusal is None:
            _freeze(dossier, by=by, reason=FROZEN_ON_SUBMISSION, now=now)
            return dossier
        audit_record(actor=by, action="dossier.submit", target=dossier, refused=True, message=refusal)
    raise DepositRefused(refusal)


def dossiers_close_deposit(*, campaign: Campaign, by: User | None, now: datetime | None = None) -> int:
    """Close every draft dossier of a campaign whose deadline has passed; returns how many closed."""
    now = now or timezone.now()
    closed = 0
    with transaction.atomic():
        for dossier in (
            Dossier.objects.select_for_update()
            .filter(enrolment__campaign=campaign, state=DossierState.DRAFT)
            .select_related("enrolment__campaign")
        ):
            _close_if_due(dossier, now=now, by=by)
            closed += int(dossier.is_frozen)
    return closed


@dataclass(frozen=True)
class FreezeDueResult:
    frozen: int
    not_deposited: int


def dossiers_freeze_due(*, now: datetime | None = None) -> FreezeDueResult:
    """Close the draft dossiers of every open campaign whose deadline has passed (idempotent: a
    closed dossier is never touched again). Run every minute by ``certeval dossiers freeze-due``."""
    now = now or timezone.now()
    frozen = not_deposited = 0
    for campaign in Campaign.objects.filter(state=CampaignState.OPEN, deposit_deadline__lte=now):
        drafts = list(
            Dossier.objects.filter(enrolment__campaign=campaign, state=DossierState.DRAFT).values_list(
                "pk", flat=True
            )
        )
        closed = dossiers_close_deposit(campaign=campaign, by=None, now=now)
        missing = Dossier.objects.filter(pk__in=drafts, state=DossierState.NOT_DEPOSITED).count()
        frozen += closed - missing
        not_deposited += missing
    return FreezeDueResult(frozen=frozen, not_deposited=not_deposited)


def dossier_file_read(*, file: DossierFile, by: User) -> IO[bytes]:
    """Open a stored file for a permitted reader (the caller checked permissions); audited."""
    with transaction.atomic():
        audit_record(actor=by, action="dossier.download", target=file.dossier, data={"file": file.pk})
    return default_storage.open(file.storage_name, "rb")


def receipt_issue(*, dossier_id: int) -> Receipt:
    """Generate the receipt PDF of a frozen dossier once (idempotent)."""
    from certeval.dossiers.receipts import receipt_pdf

    existing = Receipt.objects.filter(dossier_id=dossier_id).first()
    if existing is not None:
        return existing
    dossier = Dossier.objects.select_related("enrolment__candidate", "enrolment__campaign").get(pk=dossier_id)
    if dossier.state != DossierState.SUBMITTED:
        raise DepositRefused(_("Seul un dossier déposé et figé reçoit un récépissé."))
    pdf = receipt_pdf(dossier)
    with transaction.atomic():
        storage_name = default_storage.save(
            f"recepisses/{dossier.enrolment.campaign_id}/{dossier.pk}-{uuid.uuid4().hex}.pdf",
            ContentFile(pdf),
        )
        receipt = Receipt.objects.create(
            dossier=dossier, storage_name=storage_name, sha256=hashlib.sha256(pdf).hexdigest()
        )
        audit_record(actor=None, action="dossier.receipt", target=dossier, data={"sha256": receipt.sha256})
    return receipt


def receipt_read(*, receipt: Receipt, by: User) -> IO[bytes]:
    with transaction.atomic():
        audit_record(actor=by, action="dossier.receipt_download", target=receipt.dossier)
    return default_storage.open(receipt.storage_name, "rb")
