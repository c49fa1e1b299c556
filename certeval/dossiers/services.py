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

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns import prerequisites
from certeval.campaigns.consult import consult_enrolment
from certeval.campaigns.deadlines import is_on_time
from certeval.campaigns.models import Campaign, CampaignState, Enrolment, PrerequisitePolicy
from certeval.campaigns.titre_selectors import titre_plan
from certeval.core.dates import paris_text
from certeval.core.uploads import Inspected, UploadRejected, inspect_upload, normalise_name
from certeval.dossiers.checks import deposit_components
from certeval.dossiers.models import (
    LINK_MAX_LENGTH,
    Dossier,
    DossierFile,
    DossierState,
    EvidenceDeclaration,
    Receipt,
)

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
    """The enrolment's dossier, created on the first write, locked for this transaction."""
    dossier, _created = Dossier.objects.get_or_create(enrolment=enrolment)
    return Dossier.objects.select_for_update().select_related("enrolment__campaign").get(pk=dossier.pk)


def _closed_for_writes(enrolment: Enrolment, *, now: datetime) -> bool:
    """A read-only look (no lock, no write): True when the deposit is already over, so that the
    file need not be read; the write transaction decides and explains the refusal."""
    dossier = Dossier.objects.filter(enrolment=enrolment).first()
    if dossier is not None and dossier.is_frozen:
        return True
    return not is_on_time(now=now, deadline=enrolment.campaign.deposit_deadline)


def _valid_link(link_url: str) -> bool:
    if not link_url:
        return True
    try:
        URLValidator(schemes=["http", "https"])(link_url)
    except ValidationError:
        return False
    return len(link_url) <= LINK_MAX_LENGTH


def _same_upload(dossier: Dossier, *, kind: str, component: str, sha256: str) -> DossierFile | None:
    """The current file of the same slot (nature and component) with the same bytes, if any."""
    return (
        dossier.files.current().filter(kind=kind, component=component, sha256=sha256).order_by("pk").first()
    )


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
    component: str = "",
    replaces: DossierFile | None = None,
    now: datetime | None = None,
    content_type: str | None = None,
) -> DossierFile:
    """Store one file in a draft dossier before the deadline; optionally as a new version of a file.

    The file is inspected (type, size, page and character counts, within the extraction budget) and
    its bytes stored BEFORE the write transaction, so that a slow file never holds the database's
    write lock; the transaction then only decides and records. The upload is idempotent: the same
    bytes sent again for the same slot (nature and component) of the dossier return the current
    file, with no new version. Refused or repeated uploads leave no stored bytes behind.
    ``content_type`` is the type the person's client declared (checked against the content); a
    PDF sanitised of its active content is stored cleaned, with ``sanitised_note``."""
    now = now or timezone.now()
    inspected: Inspected | None = None
    rejection: str | None = None
    storage_name: str | None = None
    if kind in DossierFile.Kind.values and not _closed_for_writes(enrolment, now=now):
        try:
            inspected = inspect_upload(fileobj, size=size, name=original_name, content_type=content_type)
        except UploadRejected as error:
            rejection = str(error)
        else:
            storage_name = default_storage.save(
                f"dossiers/{enrolment.campaign_id}/{enrolment.pk}/{uuid.uuid4().hex}.{inspected.type.extension}",
                fileobj if inspected.content is None else ContentFile(inspected.content),
            )
    result: DossierFile | None = None
    refusal: str | None = None
    kept = False
    try:
        with transaction.atomic():
            dossier = _locked(enrolment)
            refusal = _refusal(dossier, now=now, by=by) or _prerequisite_refusal(enrolment)
            if refusal is None and kind not in DossierFile.Kind.values:
                refusal = _("Nature de fichier inconnue.")
            if refusal is None and not _valid_link(link_url):
                refusal = _("Le lien de la ressource n'est pas une adresse web valide (https://…).")
            plan = titre_plan(enrolment)
            blocs = None if plan is None else plan.blocs
            if refusal is None and component not in deposit_components(
                enrolment.campaign.framework_version, blocs
            ):
                refusal = _("Pièce du dossier inconnue pour cette certification.")
            if refusal is None and (inspected is None or storage_name is None):
                refusal = rejection or _("Ce fichier n'a pas pu être vérifié : déposez-le à nouveau.")
            if refusal is None and inspected is not None and storage_name is not None:
                result = _same_upload(dossier, kind=kind, component=component, sha256=inspected.sha256)
                if result is not None:
                    audit_record(
                        actor=by,
                        action="dossier.upload",
                        target=dossier,
                        message=_("Fichier identique déjà déposé : aucune nouvelle version."),
                        data={"file": result.pk, "name": result.name, "sha256": result.sha256},
                    )
                elif replaces is not None and (replaces.dossier_id != dossier.pk or not replaces.is_current):
                    refusal = _("Le fichier à remplacer n'est pas un fichier en cours de votre dossier.")
                else:
                    result = _store(
                        dossier,
                        inspected,
                        storage_name,
                        by=by,
                        kind=kind,
                        component=component,
                        title=title,
                        original_name=original_name,
                        link_url=link_url,
                        replaces=replaces,
                        now=now,
                    )
            if refusal is not None:
                audit_record(
                    actor=by,
                    action="dossier.upload",
                    target=dossier,
                    refused=True,
                    message=refusal,
                    data={"name": original_name[:300], "size": size},
                )
        kept = result is not None and result.storage_name == storage_name
    finally:
        if storage_name is not None and not kept:
            default_storage.delete(storage_name)
    if result is not None:
        return result
    raise DepositRefused(refusal)


def _store(
    dossier: Dossier,
    inspected: Inspected,
    storage_name: str,
    *,
    by: User,
    kind: str,
    component: str,
    title: str,
    original_name: str,
    link_url: str,
    replaces: DossierFile | None,
    now: datetime,
) -> DossierFile:
    """Record an inspected, stored file in the dossier (inside the caller's transaction)."""
    name = normalise_name(original_name, inspected.type.extension)
    if replaces is not None:
        replaces.superseded_at = now
        replaces.save(update_fields=["superseded_at"])
    stored = DossierFile(
        dossier=dossier,
        kind=kind,
        component=component,
        title=title.strip()[:200] or name,
        name=name,
        original_name=original_name[:300],
        storage_name=storage_name,
        content_type=inspected.type.content_type,
        size=inspected.size,
        sha256=inspected.sha256,
        page_count=inspected.page_count,
        char_count=inspected.char_count,
        sanitised_note=inspected.notice,
        link_url=link_url,
        uploaded_at=now,
        uploaded_by=by,
        replaces=replaces,
    )
    stored.full_clean(exclude=["replaces"])
    stored.save()
    if replaces is not None:
        # Declared evidence follows the file to its new version.
        EvidenceDeclaration.objects.filter(file=replaces, withdrawn_at__isnull=True).update(file=stored)
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
            **({"sanitised": inspected.notice} if inspected.notice else {}),
        },
    )
    return stored


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
    consult_enrolment(by, file.dossier.enrolment, "dossier_file")
    return default_storage.open(file.storage_name, "rb")


def receipt_issue(*, dossier_id: int) -> Receipt:
    """Generate the receipt PDF of a frozen dossier once (idempotent and safe under concurrency).

    The PDF is rendered and stored outside the write transaction; the transaction locks the
    dossier, looks again for a receipt and records this one only if there is still none. A
    request that loses the race returns the winner's receipt and deletes its own stored bytes."""
    from certeval.dossiers.receipts import receipt_pdf

    existing = Receipt.objects.filter(dossier_id=dossier_id).first()
    if existing is not None:
        return existing
    dossier = Dossier.objects.select_related("enrolment__candidate", "enrolment__campaign").get(pk=dossier_id)
    if dossier.state != DossierState.SUBMITTED:
        raise DepositRefused(_("Seul un dossier déposé et figé reçoit un récépissé."))
    pdf = receipt_pdf(dossier)
    storage_name = default_storage.save(
        f"recepisses/{dossier.enrolment.campaign_id}/{dossier.pk}-{uuid.uuid4().hex}.pdf", ContentFile(pdf)
    )
    receipt: Receipt | None = None
    try:
        with transaction.atomic():
            Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
            receipt = Receipt.objects.filter(dossier_id=dossier.pk).first()
            if receipt is None:
                receipt = Receipt.objects.create(
                    dossier=dossier, storage_name=storage_name, sha256=hashlib.sha256(pdf).hexdigest()
                )
                audit_record(
                    actor=None, action="dossier.receipt", target=dossier, data={"sha256": receipt.sha256}
                )
    except IntegrityError:
        # Another request recorded the receipt between our look and our insert.
        receipt = Receipt.objects.get(dossier_id=dossier.pk)
    finally:
        if receipt is None or receipt.storage_name != storage_name:
            default_storage.delete(storage_name)
    return receipt


def receipt_read(*, receipt: Receipt, by: User) -> IO[bytes]:
    with transaction.atomic():
        audit_record(actor=by, action="dossier.receipt_download", target=receipt.dossier)
    return default_storage.open(receipt.storage_name, "rb")
