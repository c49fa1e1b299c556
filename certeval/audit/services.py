"""Writing audit rows, inside the caller's transaction so that the row and the change commit together.

``audit_record`` refuses to run outside a transaction opened by the application: a business action
is one write path (permission check, ``transaction.atomic``, mutation, audit row). Each row carries
the campaign and the person concerned (the candidate or juror the action is about), derived from the
target when the caller does not give them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import DEFAULT_DB_ALIAS, connections, models

from certeval.accounts.models import User
from certeval.audit.models import AuditEvent

CAMPAIGN_LABEL = "campaigns.campaign"
USER_LABEL = "accounts.user"

# Where a target's campaign is found: the target itself, or an object it points to (first match).
CAMPAIGN_PATHS = ("", "enrolment", "dossier.enrolment", "slot.enrolment", "jury", "group", "session", "juror")
# Where the person concerned is found: the candidate of an enrolment first, then the person an
# object belongs to (a juror, a candidate, a role grant).
PERSON_PATHS = (
    "",
    "enrolment",
    "dossier.enrolment",
    "slot.enrolment",
    "enrolment.candidate",
    "dossier.enrolment.candidate",
    "slot.enrolment.candidate",
    "candidate",
    "juror",
)


class AuditOutsideTransactionError(RuntimeError):
    """``audit_record`` was called outside ``transaction.atomic``: the row could commit without the
    change it records, or the change without its row."""


def _in_application_transaction(using: str) -> bool:
    """True inside an atomic block opened by the application (a test case's own wrapping
    transaction does not count, so the test suite catches a missing ``transaction.atomic``)."""
    connection = connections[using]
    if not connection.in_atomic_block:
        return False
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _follow(obj: Any, path: str) -> Any:
    """Follow forward foreign keys only (no reverse relation, so no query for what is absent)."""
    for name in path.split(".") if path else ():
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not (field.concrete and field.is_relation):
            return None
        try:
            obj = getattr(obj, name)
        except ObjectDoesNotExist:
            return None
        if obj is None:
            return None
    return obj


def _foreign_key_id(obj: models.Model, name: str, label: str) -> Any:
    """The id ``obj.<name>`` points to when that is a foreign key to the model ``label``."""
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    related = getattr(field, "related_model", None)
    if (
        not isinstance(field, models.Field)
        or not field.concrete
        or related is None
        or related._meta.label_lower != label
    ):
        return None
    return getattr(obj, field.attname)


def _reached_id(target: models.Model, paths: Any, label: str, field: str) -> Any:
    """The id of the first object of model ``label`` reached from ``target`` along ``paths``: the
    object itself, or its ``field`` foreign key to that model."""
    for path in paths:
        obj = _follow(target, path)
        if obj is None:
            continue
        if obj._meta.label_lower == label:
            return obj.pk
        found = _foreign_key_id(obj, field, label)
        if found is not None:
            return found
    return None


def campaign_id_of(target: models.Model) -> Any:
    """The campaign ``target`` belongs to (the campaign itself, or through its enrolment, dossier,
    oral slot, jury, group, session or juror), or None."""
    return _reached_id(target, CAMPAIGN_PATHS, CAMPAIGN_LABEL, "campaign")


def person_id_of(target: models.Model) -> Any:
    """The person ``target`` is about: an account itself, the candidate of an enrolment (or of its
    dossier or oral slot), the person of a juror or a candidate; None otherwise."""
    return _reached_id(target, PERSON_PATHS, USER_LABEL, "user")


_DERIVE: Any = object()


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    message: str = "",
    data: dict[str, Any] | None = None,
    refused: bool = False,
    campaign: models.Model | None = _DERIVE,
    person: User | None = _DERIVE,
) -> AuditEvent:
    """Record one action on ``target``; ``refused`` marks an attempt that was turned down.

    ``campaign`` and ``person`` default to what the target says (``campaign_id_of``,
    ``person_id_of``); pass them to name them explicitly (None to leave the column empty)."""
    using = target._state.db or DEFAULT_DB_ALIAS
    if not _in_application_transaction(using):
        raise AuditOutsideTransactionError(
            f"audit_record({action!r}) must run inside transaction.atomic, with the change it records."
        )
    campaign_id = campaign_id_of(target) if campaign is _DERIVE else getattr(campaign, "pk", None)
    person_id = person_id_of(target) if person is _DERIVE else getattr(person, "pk", None)
    return AuditEvent.objects.using(using).create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        outcome=AuditEvent.Outcome.REFUSED if refused else AuditEvent.Outcome.DONE,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        message=message,
        data=data or {},
        campaign_id=campaign_id,
        person_id=person_id,
    )
