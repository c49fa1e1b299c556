"""Writes of the item bank: create, edit, review, life-cycle transitions, item writers, import.

One write path per action: the actor's permission (``permissions.banks_written``; administrators for
the item writers and for imports straight into a status other than draft), ``transaction.atomic``,
the rows changed locked with ``select_for_update``, the write, and an audit row (target: the item; for
writers, the person) in the same transaction. An item's content lives in frozen ``ItemVersion`` rows:
an edit always writes a new version, so a question already served keeps the exact wording, options,
answers and IRT parameters it was scored with (docs/testing.md, « Item bank » and « Life cycle »).

Life cycle: ``draft`` → ``reviewed`` (by a writer of the bank who is not the author: ``can_review``) →
``pilot`` (served unscored) → ``active`` → ``retired``; a reviewer may send a draft or a reviewed item
back to draft with a comment, and any edit of an item that is no longer a draft takes it back to draft
(the change is reviewed again).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.accounts.permissions import is_administrator
from certeval.audit.services import audit_record
from certeval.core.upload_small import inspect_small_file
from certeval.core.uploads import UploadRejected
from certeval.domain.items.exchange import Package
from certeval.domain.items.records import Irt, ItemRecord, bank_errors, provisional_irt, structural_errors
from certeval.testing import item_selectors as selectors
from certeval.testing.errors import TestingError
from certeval.testing.models import Item, ItemVersion, ItemWriter
from certeval.testing.models.items import ItemStatus
from certeval.testing.permissions import banks_written, can_review
from certeval.testing.selectors import known_banks

Status = ItemStatus

# Life-cycle moves made with ``item_transition`` (draft → reviewed is ``item_review``'s).
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: set(),
    Status.REVIEWED: {Status.PILOT, Status.ACTIVE, Status.DRAFT},
    Status.PILOT: {Status.ACTIVE, Status.RETIRED, Status.DRAFT},
    Status.ACTIVE: {Status.RETIRED},
    Status.RETIRED: {Status.DRAFT},
}
# Moves back to draft need a comment saying why.
NEEDS_COMMENT = {Status.DRAFT}
IMAGE_DIR, FILE_DIR = "items/images", "items/files"


def _check_writer(actor: User | None, bank: str) -> None:
    if actor is not None and bank not in banks_written(actor):
        raise TestingError(_("Banque de questions introuvable."))


def _lock(item: Item) -> Item:
    return Item.objects.select_for_update(of=("self",)).select_related("current").get(pk=item.pk)


def _audit(actor: User | None, action: str, item: Item, data: dict[str, Any], message: str = "") -> None:
    audit_record(
        actor=actor, action=action, target=item, data=data, message=message, campaign=None, person=None
    )


def _check_record(bank: str, record: ItemRecord) -> None:
    """Refuse a record that breaks a structural rule or names a competence the framework lacks."""
    errors = structural_errors(record)
    known = selectors.competences(bank)
    if record.part in known and record.competence not in {c for c, _t in known[record.part]}:
        errors.append(f"competence {record.competence} is not a competence of part {record.part}")
    if errors:
        raise TestingError(_("La question n'est pas valable."), errors)


def store_file(directory: str, name: str, data: bytes) -> str:
    """Store an item's image or attachment; returns the stored name (made unique by the storage)."""
    return default_storage.save(f"{directory}/{get_valid_filename(name)}", ContentFile(data))


def _new_version(
    item: Item, record: ItemRecord, actor: User | None, number: int, image: str, attachment: str
) -> ItemVersion:
    bank_version = item.current.bank_version if item.current is not None else 1
    return ItemVersion.objects.create(
        item=item,
        number=number,
        **selectors.version_fields(record),
        image=image,
        attachment=attachment,
        bank_version=bank_version,
        created_by=actor,
    )


def item_create(
    *,
    bank: str,
    record: ItemRecord,
    actor: User,
    image: tuple[str, bytes] | None = None,
    attachment: tuple[str, bytes] | None = None,
) -> Item:
    """A new draft item, version 1 (provisional IRT parameters from its level unless the record
    brings its own), written by ``actor``. Files are ``(name, bytes)``."""
    _check_writer(actor, bank)
    if image is not None:
        record = replace(record, image=image[0])
    _check_record(bank, record)
    with transaction.atomic():
        if Item.objects.filter(bank=bank, code=record.code).exists():
            raise TestingError(
                _("Le code %(code)s est déjà pris dans cette banque.") % {"code": record.code},
                [f"code {record.code}: already in the bank"],
            )
        item = Item.objects.create(
            bank=bank,
            code=record.code,
            part=record.part,
            competence=record.competence,
            level=record.level,
            framework_version=selectors.part_framework(bank, record.part),
            audience=record.audience,
            usage=record.usage.value,
            status=Status.DRAFT,
            author=actor,
        )
        version = _new_version(
            item,
            record,
            actor,
            1,
            store_file(IMAGE_DIR, *image) if image else "",
            store_file(FILE_DIR, *attachment) if attachment else "",
        )
        item.current = version
        item.save(update_fields=["current"])
        _audit(actor, "testing.item_create", item, {"bank": bank, "version": 1, "to": item.status})
    return item


METADATA = ("part", "competence", "level", "audience", "usage")


def item_edit(
    *,
    item: Item,
    record: ItemRecord,
    actor: User,
    image: tuple[str, bytes] | None = None,
    attachment: tuple[str, bytes] | None = None,
    remove_image: bool = False,
    remove_attachment: bool = False,
    irt: Irt | None = None,
) -> ItemVersion:
    """A new version of the item with the record's content and metadata (the code never changes).
    Files: a new one replaces the current one, which is otherwise kept unless removed. IRT
    parameters are kept (unless ``irt`` is given), except provisional ones when the level changes
    (derived again from the new level). An item
    that is no longer a draft goes back to draft: the change is reviewed again."""
    _check_writer(actor, item.bank)
    with transaction.atomic():
        item = _lock(item)
        current = item.current
        assert current is not None
        image_name = "" if remove_image else (current.image.name or "")
        attachment_name = "" if remove_attachment else (current.attachment.name or "")
        record = replace(
            record,
            code=item.code,
            image=image[0] if image else image_name.rsplit("/", 1)[-1],
            attachment=attachment[0] if attachment else attachment_name.rsplit("/", 1)[-1],
        )
        if irt is None:
            irt = Irt(current.a, current.b, current.c, provisional=current.irt_provisional)
            if current.irt_provisional and record.level != item.level:
                irt = provisional_irt(item.code, record.level)
        record = replace(record, irt=irt)
        _check_record(item.bank, record)
        changed = [name for name in METADATA if str(getattr(record, name)) != getattr(item, name)]
        number = (item.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = _new_version(
            item,
            record,
            actor,
            number,
            store_file(IMAGE_DIR, *image) if image else image_name,
            store_file(FILE_DIR, *attachment) if attachment else attachment_name,
        )
        previous = item.status
        for name in METADATA:
            setattr(item, name, str(getattr(record, name)))
        item.framework_version = selectors.part_framework(item.bank, item.part)
        item.current = version
        if previous != Status.DRAFT:
            item.status = Status.DRAFT
            item.reviewer = None
        item.save()
        _audit(
            actor,
            "testing.item_edit",
            item,
            {"version": number, "fields": changed, "from": previous, "to": item.status},
        )
    return version


def item_submit(*, item: Item, actor: User) -> Item:
    """The author (or another writer of the bank) submits a draft for review: it enters the review queue."""
    _check_writer(actor, item.bank)
    with transaction.atomic():
        item = _lock(item)
        if item.status != Status.DRAFT:
            raise TestingError(
                _("Seul un brouillon se soumet à la relecture (celle-ci est « %(status)s »).")
                % {"status": item.get_status_display()}
            )
        if item.submitted_at is not None:
            raise TestingError(_("Cette question attend déjà sa relecture."))
        item.submitted_at = timezone.now()
        item.save(update_fields=["submitted_at", "updated_at"])
        _audit(actor, "testing.item_submit", item, {"version": item.current.number if item.current else None})
    return item


def item_review(*, item: Item, actor: User, approve: bool, comment: str = "") -> Item:
    """A second person's review of a draft: approved (→ reviewed, the reviewer recorded) or sent back
    (stays a draft; the comment says what to change, and is required). The author cannot review."""
    _check_writer(actor, item.bank)
    comment = comment.strip()
    with transaction.atomic():
        item = _lock(item)
        if not can_review(actor, item):
            raise TestingError(_("Vous ne pouvez pas relire une question que vous avez écrite."))
        if item.status != Status.DRAFT:
            raise TestingError(
                _("Seule une question en brouillon se relit (celle-ci est « %(status)s »).")
                % {"status": item.get_status_display()}
            )
        if item.submitted_at is None:
            raise TestingError(
                _("Cette question n'a pas été soumise à la relecture : son auteur y travaille encore.")
            )
        if not approve and not comment:
            raise TestingError(_("Dites ce qu'il faut reprendre : le commentaire est obligatoire."))
        item.submitted_at = None  # approved, or back to its author
        if approve:
            item.status = Status.REVIEWED
            item.reviewer = actor
        item.save(update_fields=["status", "reviewer", "submitted_at", "updated_at"])
        _audit(
            actor,
            "testing.item_review",
            item,
            {
                "outcome": "approved" if approve else "sent_back",
                "version": item.current.number if item.current else 0,
            },
            message=comment,
        )
    return item


def item_transition(*, item: Item, to: str, actor: User, comment: str = "") -> Item:
    """Move an item along its life cycle (reviewed → pilot → active → retired; back to draft with a
    comment). Sending a reviewed item back to draft is a reviewer's (not the author's) decision."""
    _check_writer(actor, item.bank)
    comment = comment.strip()
    with transaction.atomic():
        item = _lock(item)
        if to not in TRANSITIONS.get(item.status, set()):
            raise TestingError(
                _("Une question « %(status)s » ne peut pas passer à « %(to)s ».")
                % {"status": item.get_status_display(), "to": Status(to).label if to in Status.values else to}
            )
        if to in NEEDS_COMMENT and not comment:
            raise TestingError(
                _("Dites pourquoi la question revient en brouillon : le commentaire est obligatoire.")
            )
        if item.status == Status.REVIEWED and to == Status.DRAFT and not can_review(actor, item):
            raise TestingError(_("Seul un relecteur (pas l'auteur) renvoie une question relue en brouillon."))
        previous = item.status
        item.status = to
        if to == Status.DRAFT:
            item.reviewer = None
        item.save(update_fields=["status", "reviewer", "updated_at"])
        _audit(actor, "testing.item_status", item, {"from": previous, "to": to}, message=comment)
    return item


def writer_grant(*, bank: str, user: User, actor: User) -> ItemWriter:
    """Make ``user`` an item writer of the bank (administrators only)."""
    if not is_administrator(actor) or bank not in known_banks():
        raise TestingError(_("Banque de questions introuvable."))
    with transaction.atomic():
        writer, created = ItemWriter.objects.select_for_update().get_or_create(bank=bank, user=user)
        if created:
            audit_record(
                actor=actor, action="testing.writer_grant", target=user, data={"bank": bank}, campaign=None
            )
    return writer


def writer_revoke(*, bank: str, user: User, actor: User) -> None:
    """Withdraw the item-writer role (administrators only); the items they wrote stay."""
    if not is_administrator(actor):
        raise TestingError(_("Banque de questions introuvable."))
    with transaction.atomic():
        rows = list(ItemWriter.objects.select_for_update().filter(bank=bank, user=user))
        if not rows:
            raise TestingError(_("Cette personne n'écrit pas de questions pour cette banque."))
        ItemWriter.objects.filter(pk__in=[r.pk for r in rows]).delete()
        audit_record(
            actor=actor, action="testing.writer_revoke", target=user, data={"bank": bank}, campaign=None
        )


def _checked_media(
    records: Sequence[ItemRecord], media: Mapping[str, bytes], errors: list[str]
) -> dict[str, bytes]:
    """The files the records name, through the upload checks (``core/upload_small.py``); each
    refusal is an error of the import, in French. Runs before the write transaction."""
    checked = dict(media)
    used = {name for record in records for name in (record.image, record.attachment) if name in media}
    for name in sorted(used):
        try:
            checked[name] = inspect_small_file(name, media[name])[0]
        except UploadRejected as error:
            errors.append(f"{name}: {error}")
    return checked


def item_import(
    *,
    bank: str,
    records: Sequence[ItemRecord],
    media: Mapping[str, bytes],
    actor: User | None,
    status: str = Status.DRAFT,
    source: str = "",
) -> list[Item]:
    """Import whole items, all or nothing: every record is checked (structure, competence of the
    framework, files present, codes new to the bank, no duplicate stems) before one transaction writes
    them all, each with its version 1 and its audit row. ``actor`` None is the command line. A status
    other than draft (items that skip the review) is for administrators and the command line."""
    if actor is not None:
        _check_writer(actor, bank)
        if status != Status.DRAFT and not is_administrator(actor):
            raise TestingError(
                _("Seul un administrateur importe des questions dans un autre statut que brouillon.")
            )
    if status not in Status.values:
        raise TestingError(_("Statut inconnu : %(status)s.") % {"status": status})
    errors: list[str] = []
    known = selectors.competences(bank)
    if not known:
        raise TestingError(
            _("Banque de questions introuvable."), [f"no published framework has the bank {bank}"]
        )
    for record in records:
        reasons = structural_errors(record)
        if record.part in known and record.competence not in {c for c, _t in known[record.part]}:
            reasons.append(f"competence {record.competence} is not a competence of part {record.part}")
        for name in (record.image, record.attachment):
            if name and name not in media:
                reasons.append(f"file {name} is missing from the import")
        errors += [f"{record.code}: {reason}" for reason in reasons]
    errors += bank_errors(records)
    if not records:
        errors.append("the file has no items")
    media = _checked_media(records, media, errors)
    with transaction.atomic():
        taken = set(
            Item.objects.select_for_update()
            .filter(bank=bank, code__in=[r.code for r in records])
            .values_list("code", flat=True)
        )
        errors += [f"{code}: code already in the bank" for code in sorted(taken)]
        if errors:
            raise TestingError(
                _("Le fichier est refusé : %(n)s erreur(s), aucune question n'a été importée.")
                % {"n": len(errors)},
                errors,
            )
        stored: dict[tuple[str, str], str] = {}
        for record in records:
            for directory, name in ((IMAGE_DIR, record.image), (FILE_DIR, record.attachment)):
                if name and (directory, name) not in stored:
                    stored[directory, name] = store_file(directory, name, media[name])
        frameworks = {part: selectors.part_framework(bank, part) for part in {r.part for r in records}}
        items = Item.objects.bulk_create(
            [
                Item(
                    bank=bank,
                    code=r.code,
                    part=r.part,
                    competence=r.competence,
                    level=r.level,
                    framework_version=frameworks.get(r.part),
                    audience=r.audience,
                    usage=r.usage.value,
                    status=status,
                    author=actor,
                )
                for r in records
            ]
        )
        if any(item.pk is None for item in items):  # databases that do not return ids
            by_code = dict(
                Item.objects.filter(bank=bank, code__in=[r.code for r in records]).values_list("code", "pk")
            )
            for item in items:
                item.pk = by_code[item.code]
        versions = ItemVersion.objects.bulk_create(
            [
                ItemVersion(
                    item=item,
                    number=1,
                    **selectors.version_fields(r),
                    image=stored.get((IMAGE_DIR, r.image), ""),
                    attachment=stored.get((FILE_DIR, r.attachment), ""),
                    created_by=actor,
                )
                for item, r in zip(items, records, strict=True)
            ]
        )
        if any(version.pk is None for version in versions):
            by_item = dict(ItemVersion.objects.filter(item__in=items, number=1).values_list("item_id", "pk"))
            for version in versions:
                version.pk = by_item[version.item.pk]
        for item, version in zip(items, versions, strict=True):
            item.current = version
        Item.objects.bulk_update(items, ["current"])
        for item in items:
            _audit(
                actor, "testing.item_import", item, {"bank": bank, "version": 1, "to": status, "file": source}
            )
    return items


def item_import_package(
    *, bank: str, package: Package, actor: User | None, status: str = Status.DRAFT
) -> list[Item]:
    """Import a package read by ``certeval.domain.items.exchange`` (its records and media)."""
    return item_import(
        bank=bank,
        records=package.records,
        media=package.media,
        actor=actor,
        status=status,
        source=package.source,
    )
