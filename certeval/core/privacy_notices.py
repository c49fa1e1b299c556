"""The processings of personal data and their privacy notices (RGPD art. 13 and 30), as data:
``certeval/data/privacy/processings.yaml``, validated when loaded. The retention of each processing
is read from ``CERTEVAL_RETENTION`` (the categories it names), the controller and its DPO from
``CERTEVAL_CONTROLLER`` (or the certifying organisation of a campaign). Low layer on purpose: the
forms that collect data live in every context (``{% privacy_notice "enrolment" %}``, templatetag
``privacy_notice``), the full pages and the register in ``certeval.privacy`` (docs/privacy.md,
« Notices and register »)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certeval.core.privacy_defaults import DEFAULT_CONTROLLER
from certeval.core.retention_defaults import DEFAULT_RETENTION

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "privacy" / "processings.yaml"
KEYS = ("enrolment", "testing", "dossier", "results", "statistics")
LIST_FIELDS = ("purposes", "data_subjects", "data_categories", "recipients", "security")
TEXT_FIELDS = ("slug", "title", "short", "legal_basis", "source", "transfers", "automated_decision")


class ProcessingError(ValueError):
    """The data file does not have the expected shape (the message says where)."""


@dataclass(frozen=True)
class Retention:
    category: str
    what: str


@dataclass(frozen=True)
class Processing:
    key: str
    slug: str
    title: str
    short: str
    purposes: tuple[str, ...]
    legal_basis: str
    data_subjects: tuple[str, ...]
    data_categories: tuple[str, ...]
    special_categories: str
    source: str
    recipients: tuple[str, ...]
    transfers: str
    retention: tuple[Retention, ...]
    automated_decision: str
    security: tuple[str, ...]


def _processing(raw: Any, where: str) -> Processing:
    if not isinstance(raw, dict):
        raise ProcessingError(f"{where}: un traitement est un dictionnaire.")
    for name in (*TEXT_FIELDS, "key"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise ProcessingError(f"{where}: le champ « {name} » manque ou est vide.")
    for name in LIST_FIELDS:
        value = raw.get(name)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise ProcessingError(f"{where}: le champ « {name} » doit être une liste de textes.")
    retention = raw.get("retention")
    if not isinstance(retention, list) or not retention:
        raise ProcessingError(f"{where}: le champ « retention » doit nommer au moins une catégorie.")
    for item in retention:
        if not isinstance(item, dict) or item.get("category") not in DEFAULT_RETENTION:
            raise ProcessingError(f"{where}: catégorie de conservation inconnue : {item!r}.")
    return Processing(
        key=raw["key"],
        slug=raw["slug"],
        title=raw["title"],
        short=" ".join(raw["short"].split()),
        purposes=tuple(raw["purposes"]),
        legal_basis=" ".join(raw["legal_basis"].split()),
        data_subjects=tuple(raw["data_subjects"]),
        data_categories=tuple(raw["data_categories"]),
        special_categories=" ".join(str(raw.get("special_categories") or "").split()),
        source=raw["source"],
        recipients=tuple(raw["recipients"]),
        transfers=raw["transfers"],
        retention=tuple(Retention(str(i["category"]), str(i.get("what", ""))) for i in retention),
        automated_decision=" ".join(raw["automated_decision"].split()),
        security=tuple(raw["security"]),
    )


@cache
def processings() -> tuple[Processing, ...]:
    """Every processing, in the order of the file (the five of KEYS, each once)."""
    document = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    found = tuple(
        _processing(raw, f"{DATA_FILE.name}, traitement {i + 1}")
        for i, raw in enumerate((document or {}).get("processings") or [])
    )
    if sorted(p.key for p in found) != sorted(KEYS):
        raise ProcessingError(f"{DATA_FILE.name}: les traitements attendus sont {', '.join(KEYS)}.")
    if len({p.slug for p in found}) != len(found):
        raise ProcessingError(f"{DATA_FILE.name}: deux traitements ont la même adresse.")
    return found


def processing(key: str) -> Processing:
    for found in processings():
        if found.key == key:
            return found
    raise KeyError(key)


def processing_by_slug(slug: str) -> Processing | None:
    return next((p for p in processings() if p.slug == slug), None)


# --- retention --------------------------------------------------------------------------------------


def retention_settings() -> dict[str, Any]:
    """``CERTEVAL_RETENTION`` merged over its documented defaults."""
    merged = {
        key: (dict(value) if isinstance(value, dict) else value) for key, value in DEFAULT_RETENTION.items()
    }
    for key, value in (getattr(settings, "CERTEVAL_RETENTION", None) or {}).items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _from_label(code: str) -> str:
    labels = {
        "result_published": _("la publication du résultat"),
        "campaign_closed": _("la clôture de la campagne"),
        "decision": _("la décision"),
        "event": _("leur enregistrement"),
    }
    return str(labels.get(code, code))


def duration_text(days: int) -> str:
    if days % 365 == 0:
        years = days // 365
        return ngettext("%(n)s an", "%(n)s ans", years) % {"n": years}
    if days % 30 == 0:
        months = days // 30
        return ngettext("%(n)s mois", "%(n)s mois", months) % {"n": months}
    return ngettext("%(n)s jour", "%(n)s jours", days) % {"n": days}


def retention_text(category: str) -> str:
    """« 1 an à compter de la publication du résultat », or kept for good, from the setting."""
    entry = retention_settings().get(category) or {}
    days = entry.get("days") if isinstance(entry, dict) else None
    if days is None:
        return _("conservées sans limite de durée, comme la loi le demande pour prouver la certification")
    return _("%(duration)s à compter de %(event)s") % {
        "duration": duration_text(int(days)),
        "event": _from_label(str(entry.get("from", ""))),
    }


def retention_rows(found: Processing) -> list[dict[str, Any]]:
    entries = retention_settings()
    return [
        {
            "category": item.category,
            "what": item.what,
            "text": retention_text(item.category),
            "days": (entries.get(item.category) or {}).get("days"),
            "from": (entries.get(item.category) or {}).get("from", ""),
        }
        for item in found.retention
    ]


# --- the controller ---------------------------------------------------------------------------------


def controller_settings() -> dict[str, Any]:
    return {**DEFAULT_CONTROLLER, **(getattr(settings, "CERTEVAL_CONTROLLER", None) or {})}


def controller(campaign: Any = None) -> dict[str, str]:
    """The data controller of a campaign's data: its certifying organisation when it has one (with
    that organisation's DPO contact if configured), the certifier of ``CERTEVAL_CONTROLLER`` else."""
    configured = controller_settings()
    found = {
        key: str(configured.get(key) or "")
        for key in ("name", "address", "email", "dpo_name", "dpo_email", "dpo_address", "authority")
    }
    organisation = getattr(campaign, "organisation", None) if campaign is not None else None
    if organisation is not None:
        own = (configured.get("organisations") or {}).get(organisation.name) or {}
        found.update({key: str(value) for key, value in own.items() if key in found})
        found["name"] = organisation.name
        if not own.get("address"):
            found["address"] = ""
    return found
