"""French labels for the identifiers that référentiel files use as keys (épreuve kinds and limits,
final-decision policies, source documents), so no page shows a raw identifier such as ``pages_max``,
``adjourn`` or a seed file name."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
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


# The final-decision policies a référentiel offers (``rules.final.policies``), as campaigns name them.
FINAL_POLICIES: Mapping[str, Promise] = {
    "joint": _("Niveau le plus élevé reconnu conjointement"),
    "adjourn": _("Ajournement en cas de distorsion"),
}

# A référentiel title may carry an editor's note in brackets when the source gives no name
# (« … (intitulé non donné par la source) »); people read the name without the note.
_EDITOR_NOTE = re.compile(r"\s*\(intitulé non donné par la source\)")
_POLICY_IN_TEXT = re.compile(r"\bpolitique (joint|adjourn)\b|« (joint|adjourn) »")
# Editor's notes that sources and stored reasons carry, and the sentence a reader sees instead.
_NOTES: Mapping[str, Promise] = {
    "(égalité non traitée : réglage)": _("(la source ne traite pas l'égalité : la campagne la règle)"),
    "(règle de décision non énoncée : réglage, défaut": _(
        "(la source n'énonce pas de règle de décision : réglage du référentiel, par défaut"
    ),
}


# The parts of an automated component (``rules.automated.parts``), by the name candidates know.
AUTOMATED_PARTS: Mapping[str, Promise] = {
    "crcn-edu": _("CRCN-Édu"),
    "crcn": _("CRCN"),
}


def policy_label(policy: str) -> str:
    return str(FINAL_POLICIES.get(policy, policy))


def framework_title(title: str) -> str:
    """A référentiel's name as people read it, without the editor's note on a missing name."""
    return _EDITOR_NOTE.sub("", title).strip()


@cache
def source_titles() -> dict[str, str]:
    """Document titles by the name référentiels cite them with (``certeval/data/sources.yaml``)."""
    from certeval.domain.sources import load_titles
    from certeval.frameworks.services import SOURCES_FILE

    return load_titles(SOURCES_FILE)


def readable(text: str) -> str:
    """A référentiel's or a decision's text with every source cited by its title, every policy by
    its name and the editor's notes in plain French."""
    from certeval.domain.sources import SEED_FILE, cite

    titles = source_titles()
    text = cite(text, titles)
    for name in sorted((n for n in titles if not SEED_FILE.fullmatch(n)), key=len, reverse=True):
        text = text.replace(name, titles[name])
    for note, sentence in _NOTES.items():
        text = text.replace(note, str(sentence))
    return _POLICY_IN_TEXT.sub(
        lambda m: (
            f"politique « {policy_label(m.group(1))} »" if m.group(1) else f"« {policy_label(m.group(2))} »"
        ),
        text,
    )
