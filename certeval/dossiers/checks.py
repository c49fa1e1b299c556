"""Pre-submission checks shown to the candidate as warnings (they never block the deposit).

Page and character constraints come from the framework's ``rules.constraints`` (``pages`` /
``characters`` with ``min`` and ``max``), applied to the current dossier documents (PDF, ODT,
DOCX); the evidence checklist lists the framework's evidence requirements for the candidate to
tick off. This adapter reads the published document directly: the rules package of issue 3
exposes no constraints checker yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from certeval.dossiers.models import DossierFile


@dataclass(frozen=True)
class Check:
    label: str
    ok: bool | None  # None: to be verified by the candidate
    message: str


def _bounds(rule: dict[str, Any]) -> tuple[int | None, int | None]:
    return rule.get("min"), rule.get("max")


def _count_check(label: str, unit: str, total: int, unknown: list[str], rule: dict[str, Any]) -> Check:
    low, high = _bounds(rule)
    expected = (
        _("entre %(min)s et %(max)s") % {"min": low, "max": high}
        if low is not None and high is not None
        else (
            _("au moins %(min)s") % {"min": low} if low is not None else _("au plus %(max)s") % {"max": high}
        )
    )
    ok = (low is None or total >= low) and (high is None or total <= high)
    message = _("%(total)s %(unit)s comptés ; attendu : %(expected)s %(unit)s.") % {
        "total": total,
        "unit": unit,
        "expected": expected,
    }
    if unknown:
        message += " " + _("Non compté (format sans décompte) : %(names)s.") % {"names": ", ".join(unknown)}
    return Check(label=label, ok=ok, message=message)


def evidence_requirements(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every evidence requirement of a framework document, competences first, then components."""
    found: list[dict[str, Any]] = []
    for domain in document.get("domains", []):
        for competence in domain.get("competences", []):
            found.extend(competence.get("evidence", []))
    for component in document.get("components", []):
        found.extend(component.get("evidence", []))
    return found


def dossier_checks(*, document: dict[str, Any], files: Iterable[DossierFile]) -> list[Check]:
    files = list(files)
    documents = [f for f in files if f.kind == DossierFile.Kind.DOCUMENT]
    checks: list[Check] = []
    if not documents:
        checks.append(Check(_("Document du dossier"), False, _("Aucun document n'est encore déposé.")))
    constraints = (document.get("rules") or {}).get("constraints") or {}
    if "pages" in constraints:
        total = sum(f.page_count or 0 for f in documents)
        unknown = [f.name for f in documents if f.page_count is None]
        checks.append(_count_check(_("Nombre de pages"), _("pages"), total, unknown, constraints["pages"]))
    if "characters" in constraints:
        total = sum(f.char_count or 0 for f in documents)
        unknown = [f.name for f in documents if f.char_count is None]
        checks.append(
            _count_check(
                _("Caractères, espaces compris"), _("caractères"), total, unknown, constraints["characters"]
            )
        )
    for requirement in evidence_requirements(document):
        label = requirement["text"]
        if requirement.get("competence"):
            label = f"{requirement['competence']} — {label}"
        minimum = requirement.get("minimum")
        message = (
            _("À vérifier : au moins %(n)s élément(s) attendu(s).") % {"n": minimum}
            if minimum
            else _("À vérifier dans votre dossier.")
        )
        checks.append(Check(label=label, ok=None, message=message))
    return checks
