"""What an audit row says to a reader: the object it is about, by name (« Inscription de DURAND
Camille », not « Inscription n° 4 »), and its data as French label/value pairs (never raw JSON, ids
or codes).

The rows keep stable codes and ids; this module resolves them for one page of rows at a time, with
one query per kind of object. Models are found by their label (``apps.get_model``), so the audit
context imports none of the contexts above it; an object that no longer exists, or a model that
moved, is still shown (by its type and number), never as an error.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from certeval.accounts.roles import Role
from certeval.audit.labels import FIELDS, LEVELS, SOURCES, field_label, target_type_label
from certeval.audit.models import AuditEvent

# Data keys that name another object: key -> model label.
REFERENCES: Mapping[str, str] = {
    "user": "accounts.user",
    "president": "accounts.user",
    "campaign": "campaigns.campaign",
    "session": "campaigns.session",
    "enrolment": "campaigns.enrolment",
    "file": "dossiers.dossierfile",
    "replaces": "dossiers.dossierfile",
    "juror": "juries.juror",
    "jury": "juries.jury",
    "meeting": "juries.meeting",
}
# Per action, the model whose fields and choices name the data keys (besides the target's).
ACTION_MODELS: Mapping[str, tuple[str, ...]] = {
    "juries.feedback": ("juries.jurorfeedback",),
    "juries.juror_update": ("juries.juror",),
    "juries.settings_update": ("juries.jurysettings",),
    "juries.meeting": ("juries.meeting",),
    "dossier.upload": ("dossiers.dossierfile",),
    "juries.juror_add": ("juries.juror",),
    "juries.decision": ("juries.deliberation",),
    "juries.deliberation_save": ("juries.deliberation",),
    "juries.teacher_evaluation_save": ("juries.deliberation",),
    "juries.deliberation_reopen": ("juries.deliberation",),
}
# A key whose meaning depends on the action.
ACTION_FIELDS: Mapping[tuple[str, str], Callable[[], str]] = {
    ("dossier.receipt_email", "to"): lambda: _("Destinataires"),
}
# Keys that carry internal numbers only: not shown.
HIDDEN = frozenset({"run", "id", "deliberation"})
HALFDAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(am|pm)$")
SOURCE_FILE = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")
# The solver's statuses, the message of a composition row.
MESSAGES: Mapping[str, Callable[[], str]] = {
    "optimal": lambda: _("solution optimale"),
    "feasible": lambda: _("solution valide (optimalité non prouvée)"),
    "infeasible": lambda: _("aucune solution possible"),
    "unknown": lambda: _("aucune solution trouvée dans le temps imparti"),
}
RELATED: Mapping[str, tuple[str, ...]] = {
    "campaigns.enrolment": ("candidate",),
    "dossiers.dossier": ("enrolment__candidate",),
    "juries.juror": ("user",),
    "juries.jury": (),
}


@dataclass(frozen=True)
class EventView:
    event: AuditEvent
    target: str
    message: str
    details: list[tuple[str, str]]


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _person(user: Any) -> str:
    return str(user.get_full_name() or user.email)


def _name(label: str, obj: models.Model) -> str:
    """How a page names an object: the candidate of an enrolment or dossier, a person's name, a
    campaign's or session's title; else the object's own French text."""
    if label == "campaigns.enrolment":
        return _("Inscription de %(name)s") % {"name": obj.candidate.display_name}  # type: ignore[attr-defined]
    if label == "dossiers.dossier":
        return _("Dossier de %(name)s") % {"name": obj.enrolment.candidate.display_name}  # type: ignore[attr-defined]
    if label == "campaigns.campaign":
        return _("Campagne « %(title)s »") % {"title": obj.title}  # type: ignore[attr-defined]
    if label == "campaigns.session":
        return _("Session « %(label)s »") % {"label": obj.label}  # type: ignore[attr-defined]
    if label == "accounts.user":
        return _("Compte de %(name)s") % {"name": _person(obj)}
    text = str(obj)
    kind = target_type_label(label)
    return text if text.lower().startswith(kind.lower()) else f"{kind} : {text}"


def _short(label: str, obj: models.Model) -> str:
    """An object named inside a detail: the person, the title, the file name."""
    if label == "accounts.user":
        return _person(obj)
    if label in ("campaigns.enrolment",):
        return str(obj.candidate.display_name)  # type: ignore[attr-defined]
    if label == "juries.juror":
        return _person(obj.user)  # type: ignore[attr-defined]
    if label == "campaigns.campaign":
        return str(obj.title)  # type: ignore[attr-defined]
    if label == "campaigns.session":
        return str(obj.label)  # type: ignore[attr-defined]
    if label == "dossiers.dossierfile":
        return str(obj.name)  # type: ignore[attr-defined]
    return str(obj)


def _digits(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


class _Page:
    """The objects a page of rows refers to, loaded once per model."""

    def __init__(self, events: list[AuditEvent]) -> None:
        wanted: dict[str, set[int]] = defaultdict(set)
        for event in events:
            if (pk := _digits(event.target_id)) is not None:
                wanted[event.target_type].add(pk)
            for key, value in (event.data or {}).items():
                self._want(wanted, event.action, key, value)
        self.objects: dict[str, dict[int, models.Model]] = {}
        for label, ids in wanted.items():
            model = _model(label)
            if model is None:
                continue
            queryset = model._default_manager.all()
            related = RELATED.get(label, ())
            if related:
                queryset = queryset.select_related(*related)
            self.objects[label] = queryset.in_bulk(ids)
        academy = _model("campaigns.academy")
        self.academies: dict[str, str] = (
            {a.code: a.name for a in academy._default_manager.all()} if academy is not None else {}  # type: ignore[attr-defined]
        )

    @staticmethod
    def _want(wanted: dict[str, set[int]], action: str, key: str, value: Any) -> None:
        label = REFERENCES.get(key)
        if key in ("added", "removed"):
            label = "campaigns.enrolment"
        if action == "juries.member_swap" and key in ("from", "to"):
            label = "juries.juror"
        if action == "juries.slot_move" and key in ("from", "to") and isinstance(value, list) and value:
            wanted["juries.jury"].add(_digits(value[0]) or 0)
            return
        if label is None:
            return
        values = value if isinstance(value, list) else [value]
        wanted[label].update(pk for pk in map(_digits, values) if pk is not None)

    def get(self, label: str, value: Any) -> models.Model | None:
        pk = _digits(value)
        return None if pk is None else self.objects.get(label, {}).get(pk)

    def reference(self, label: str, value: Any) -> str:
        values = value if isinstance(value, list) else [value]
        names = []
        for item in values:
            obj = self.get(label, item)
            if obj is not None:
                names.append(_short(label, obj))
            elif item is not None:
                names.append(
                    _("%(kind)s n° %(id)s (n'existe plus)") % {"kind": target_type_label(label), "id": item}
                )
        return ", ".join(names) or "—"

    # --- one row -------------------------------------------------------------------------

    def target(self, event: AuditEvent) -> str:
        if event.target_type == "accounts.user" and not event.target_id:
            # A sign-in attempt or a password link asked for an e-mail no account has.
            return _("Aucun compte à cette adresse")
        obj = self.get(event.target_type, event.target_id)
        if obj is None:
            return _("%(kind)s n° %(id)s (n'existe plus)") % {
                "kind": target_type_label(event.target_type),
                "id": event.target_id,
            }
        return _name(event.target_type, obj)

    def message(self, event: AuditEvent) -> str:
        text = event.message or ""
        if event.action == "juries.compose" and text in MESSAGES:
            return MESSAGES[text]()
        # A decision's reasons cite the source documents by their file names: name them instead.
        text = SOURCE_FILE.sub(lambda found: str(SOURCES.get(found.group(0), _("document source"))), text)
        return text or "—"

    def details(self, event: AuditEvent) -> list[tuple[str, str]]:
        models_ = [m for m in map(_model, (*ACTION_MODELS.get(event.action, ()), event.target_type)) if m]
        pairs: list[tuple[str, str]] = []
        # PostgreSQL's jsonb does not keep the keys' order: show them in the labels' order.
        order = {key: index for index, key in enumerate(FIELDS)}
        data = event.data or {}
        for key in sorted(data, key=lambda k: (order.get(k, len(order)), k)):
            value = data[key]
            if key in HIDDEN:
                continue
            special = ACTION_FIELDS.get((event.action, key))
            pair = (
                special() if special else self._label(key, models_),
                self._value(event, key, value, models_),
            )
            if pair not in pairs:  # a file named twice (its id and its name) is shown once
                pairs.append(pair)
        return pairs

    @staticmethod
    def _field(key: str, models_: list[type[models.Model]]) -> Any:
        for model in models_:
            try:
                return model._meta.get_field(key)
            except FieldDoesNotExist:
                continue
        return None

    def _label(self, key: str, models_: list[type[models.Model]]) -> str:
        label = field_label(key)
        if label != key:
            return label
        field = self._field(key, models_)
        return (
            str(field.verbose_name).capitalize()
            if field is not None and hasattr(field, "verbose_name")
            else key
        )

    def _value(self, event: AuditEvent, key: str, value: Any, models_: list[type[models.Model]]) -> str:
        action = event.action
        if action == "campaign.transition" and key in ("from", "to"):
            return self._choice("campaigns.campaign", "state", value)
        if action == "juries.member_swap" and key in ("from", "to"):
            return self.reference("juries.juror", value)
        if (
            action == "juries.slot_move"
            and key in ("from", "to")
            and isinstance(value, list)
            and len(value) == 2
        ):
            jury = self.reference("juries.jury", value[0])
            return _("%(jury)s, oral n° %(index)s") % {"jury": jury, "index": value[1]}
        if key in ("fields", "added", "removed") and isinstance(value, list):
            if key == "fields":
                return ", ".join(self._label(str(v), models_) for v in value) or "—"
            return self.reference("campaigns.enrolment", value) if value else "—"
        if key in REFERENCES:
            return self.reference(REFERENCES[key], value)
        if key == "academy":
            return self.academies.get(str(value), str(value)) if value else "—"
        field = self._field(key, models_)
        if field is not None and getattr(field, "choices", None) and not isinstance(value, (list, dict)):
            return str(dict(field.choices).get(value, value)) if value not in (None, "") else "—"
        if key == "role":
            return str(dict(Role.choices).get(value, value)) if value else "—"
        if key in ("level", "final_level", "practice_level"):
            if not value:
                return "—"
            found = LEVELS.get(str(value))
            return str(found) if found is not None else str(value)
        if key == "size" and isinstance(value, int):
            return str(filesizeformat(value))
        if key == "obtained_on" and isinstance(value, str):
            try:
                return date.fromisoformat(value).strftime("%d/%m/%Y")
            except ValueError:
                return value
        if key == "files" and isinstance(value, list):
            return (
                ", ".join(
                    f"{f.get('name', '')} ({filesizeformat(f['size'])})"
                    if isinstance(f, dict) and "size" in f
                    else str(f)
                    for f in value
                )
                or "—"
            )
        if key == "halfdays":
            return self._halfdays(value)
        if isinstance(value, dict) and set(value) == {"from", "to"}:  # one changed field
            if key == "halfdays":
                return f"{self._halfdays(value['from'])} → {self._halfdays(value['to'])}"
            return f"{self._plain(value['from'])} → {self._plain(value['to'])}"
        return self._plain(value)

    def _choice(self, label: str, name: str, value: Any) -> str:
        model = _model(label)
        if model is None:
            return str(value)
        try:
            choices = dict(model._meta.get_field(name).choices or ())  # type: ignore[union-attr]
        except FieldDoesNotExist:
            return str(value)
        return str(choices.get(value, value))

    @staticmethod
    def _halfdays(value: Any) -> str:
        """``2026-12-14-am`` as « 14/12/2026 matin »."""
        names = []
        for item in value if isinstance(value, list) else [value]:
            found = HALFDAY.match(str(item))
            if found is None:
                names.append(str(item))
                continue
            year, month, day, part = found.groups()
            names.append(f"{day}/{month}/{year} {_('matin') if part == 'am' else _('après-midi')}")
        return ", ".join(names) or "—"

    @staticmethod
    def _plain(value: Any) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return "—"
        if isinstance(value, bool):
            return _("oui") if value else _("non")
        if isinstance(value, list):
            return ", ".join(_Page._plain(v) for v in value)
        if isinstance(value, dict):
            return " ; ".join(f"{field_label(str(k))} : {_Page._plain(v)}" for k, v in value.items())
        return str(value)


def describe(events: Iterable[AuditEvent]) -> list[EventView]:
    """Each row of a page with its object named and its data in French."""
    rows = list(events)
    page = _Page(rows)
    return [EventView(e, page.target(e), page.message(e), page.details(e)) for e in rows]
