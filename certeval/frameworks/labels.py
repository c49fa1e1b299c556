"""French labels for the identifiers that référentiel files use as keys (épreuve kinds and limits),
so the catalogue never shows a raw identifier such as ``pages_max``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COMPONENT_KINDS: Mapping[str, Promise] = {
    "automated": _("Épreuve automatisée"),
    "dossier": _("Dossier"),
    "oral": _("Oral"),
    "simulated_situation": _("Mise en situation"),
    "written_work": _("Production écrite"),
    "final_interview": _("Entretien final"),
    "interview": _("Entretien"),
    "oral_presentation": _("Présentation orale"),
    "written_synthesis": _("Synthèse écrite"),
    "evaluation": _("Évaluation"),
}

# Each label takes the limit's value as %(value)s.
LIMITS: Mapping[str, Promise] = {
    "max_questions": _("%(value)s questions au plus"),
    "crcn_edu_questions": _("%(value)s questions sur le CRCN-Édu"),
    "crcn_questions_max": _("%(value)s questions au plus sur le CRCN"),
    "advised_minutes_crcn_edu": _("Temps conseillé pour le CRCN-Édu : %(value)s min"),
    "advised_minutes_crcn": _("Temps conseillé pour le CRCN : %(value)s min"),
    "setup_minutes_onsite": _("Installation en présentiel : %(value)s min"),
    "setup_minutes_remote": _("Installation à distance : %(value)s min"),
    "pages": _("%(value)s pages"),
    "pages_min": _("%(value)s pages au moins"),
    "pages_max": _("%(value)s pages au plus"),
    "max_characters": _("%(value)s caractères au plus, espaces compris"),
    "presentation_minutes": _("Présentation : %(value)s min"),
    "questions_minutes": _("Échange avec le jury : %(value)s min"),
    "interviewers": _("Nombre d'examinateurs : %(value)s"),
}


def component_kind_label(kind: str) -> str:
    return str(COMPONENT_KINDS.get(kind, kind))


def limit_label(key: str, value: int) -> str:
    """The limit as a sentence; a key this module does not know is shown as ``key : value``."""
    shown = number_format(value, force_grouping=True)
    label = LIMITS.get(key)
    return str(label) % {"value": shown} if label is not None else f"{key} : {shown}"


def components_for_display(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **component,
            "kind_label": component_kind_label(component["kind"]),
            "limit_labels": [limit_label(key, value) for key, value in component.get("limits", {}).items()],
        }
        for component in components
    ]
