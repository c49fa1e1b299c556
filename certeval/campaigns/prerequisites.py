"""Prerequisites of a certification, read from its référentiel, and whether an enrolment meets them.

Two kinds exist in the référentiels:

- ``trainer_experience`` — the Facilitateur's « première expérience professionnelle en tant que
  formateur » (``extras.prerequisite.kind: first_trainer_experience``): met when the experience is
  described and either declared on honour or backed by an uploaded attestation; and its second
  half, « avoir déjà accompagné ou avoir le projet professionnel d'accompagner des apprenants
  ciblés », a separate check met when the person states one or the other;
- ``automated_result`` — Pix+ Édu and INSPÉ (``rules.automated.validity_years``): an automated-part
  result still valid on the day of the check, i.e. obtained at most ``validity_years`` years before
  (``certeval.domain.rules.dates.valid_until``, inclusive).

What happens when a prerequisite is not met is the campaign's ``prerequisite_policy``.

Automated results belong to the ``testing`` context, a higher layer that campaigns never imports:
it registers, in ``TestingConfig.ready``, how to look up a person's applicable result and how to
record one typed with an enrolment (``register_automated_results``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.domain.rules.dates import valid_until

TRAINER_EXPERIENCE = "trainer_experience"
AUTOMATED_RESULT = "automated_result"


@dataclass(frozen=True)
class TrainerDeclaration:
    years: int | None = None
    description: str = ""
    declared: bool = False
    has_attestation: bool = False
    accompaniment: str = ""  # "accompanied", "planned" or "" (not stated)


@dataclass(frozen=True)
class AutomatedLevel:
    level: str
    obtained_on: date


@dataclass(frozen=True)
class PrerequisiteCheck:
    kind: str
    label: str
    met: bool
    explanation: str


class AutomatedLookup(Protocol):
    def __call__(self, candidate_id: int, campaign: Any, on: date) -> AutomatedLevel | None: ...


class AutomatedRecord(Protocol):
    def __call__(self, *, enrolment: Any, level: str, obtained_on: date, by: Any) -> None: ...


@dataclass(frozen=True)
class _AutomatedHooks:
    lookup: AutomatedLookup
    record: AutomatedRecord


_automated: list[_AutomatedHooks] = []


def register_automated_results(*, lookup: AutomatedLookup, record: AutomatedRecord) -> None:
    """Called once by the testing app: ``lookup(candidate_id, campaign, on)`` gives the person's
    applicable automated result for a campaign (the expired one included, so that the check can
    explain it), ``record(enrolment=, level=, obtained_on=, by=)`` records one (raising
    ``CampaignError`` with a French message when refused)."""
    _automated[:] = [_AutomatedHooks(lookup, record)]


def automated_level_of(candidate_id: int, campaign: Any, *, on: date) -> AutomatedLevel | None:
    """The person's applicable automated result for the campaign (None when none is recorded)."""
    return _automated[0].lookup(candidate_id, campaign, on) if _automated else None


def record_automated_level(*, enrolment: Any, level: str, obtained_on: date, by: Any) -> None:
    if not _automated:
        raise RuntimeError("No automated-result store is registered (is certeval.testing installed?).")
    _automated[0].record(enrolment=enrolment, level=level, obtained_on=obtained_on, by=by)


def required_kinds(document: dict[str, Any]) -> list[str]:
    """The prerequisites a référentiel asks for, in a fixed order."""
    kinds = []
    if (document.get("extras") or {}).get("prerequisite", {}).get("kind") == "first_trainer_experience":
        kinds.append(TRAINER_EXPERIENCE)
    if automated_validity_years(document) is not None:
        kinds.append(AUTOMATED_RESULT)
    return kinds


def automated_validity_years(document: dict[str, Any]) -> int | None:
    years = ((document.get("rules") or {}).get("automated") or {}).get("validity_years")
    return int(years) if years is not None else None


def prerequisite_text(document: dict[str, Any]) -> str:
    """The référentiel's own wording of its prerequisite, when it has one."""
    return str((document.get("extras") or {}).get("prerequisite", {}).get("text", ""))


def _trainer_check(trainer: TrainerDeclaration) -> PrerequisiteCheck:
    label = _("Première expérience de formateur")
    if not trainer.description.strip():
        return PrerequisiteCheck(
            TRAINER_EXPERIENCE, label, False, _("Aucune expérience de formateur n'est décrite.")
        )
    if not (trainer.declared or trainer.has_attestation):
        return PrerequisiteCheck(
            TRAINER_EXPERIENCE,
            label,
            False,
            _("L'expérience est décrite mais ni attestée ni déclarée sur l'honneur."),
        )
    years = _("moins d'un an") if not trainer.years else _("%(n)s an(s)") % {"n": trainer.years}
    proof = _("attestation jointe") if trainer.has_attestation else _("déclaration sur l'honneur")
    return PrerequisiteCheck(
        TRAINER_EXPERIENCE,
        label,
        True,
        _("Expérience de formateur : %(years)s (%(proof)s).") % {"years": years, "proof": proof},
    )


ACCOMPANIED = "accompanied"
PLANNED = "planned"


def _accompaniment_check(trainer: TrainerDeclaration) -> PrerequisiteCheck:
    """The second half of the Facilitateur's prerequisite (seed 001): « avoir déjà accompagné ou
    avoir le projet professionnel d'accompagner des apprenants ciblés par cette certification »."""
    label = _("Accompagnement des apprenants ciblés")
    if trainer.accompaniment == ACCOMPANIED:
        return PrerequisiteCheck(
            TRAINER_EXPERIENCE,
            label,
            True,
            _("A déjà accompagné des apprenants ciblés par la certification."),
        )
    if trainer.accompaniment == PLANNED:
        return PrerequisiteCheck(
            TRAINER_EXPERIENCE,
            label,
            True,
            _("A le projet professionnel d'accompagner des apprenants ciblés par la certification."),
        )
    return PrerequisiteCheck(
        TRAINER_EXPERIENCE,
        label,
        False,
        _(
            "Indiquez si vous avez déjà accompagné des apprenants ciblés par la certification "
            "ou si vous avez le projet professionnel d'en accompagner."
        ),
    )


def _automated_check(
    automated: AutomatedLevel | None, *, years: int, levels: dict[str, str], today: date
) -> PrerequisiteCheck:
    label = _("Résultat du volet automatisé en cours de validité")
    if automated is None:
        return PrerequisiteCheck(
            AUTOMATED_RESULT, label, False, _("Aucun résultat du volet automatisé n'est enregistré.")
        )
    until = valid_until(automated.obtained_on, years)
    facts = {
        "level": levels.get(automated.level, automated.level),
        "on": automated.obtained_on.strftime("%d/%m/%Y"),
        "until": until.strftime("%d/%m/%Y"),
        "years": years,
    }
    if automated.obtained_on > today:
        return PrerequisiteCheck(
            AUTOMATED_RESULT, label, False, _("Niveau %(level)s daté du %(on)s : date future.") % facts
        )
    if until < today:
        return PrerequisiteCheck(
            AUTOMATED_RESULT,
            label,
            False,
            _("Niveau %(level)s obtenu le %(on)s : expiré depuis le %(until)s (validité %(years)s ans).")
            % facts,
        )
    return PrerequisiteCheck(
        AUTOMATED_RESULT,
        label,
        True,
        _("Niveau %(level)s obtenu le %(on)s, valable jusqu'au %(until)s inclus.") % facts,
    )


def evaluate(
    *,
    document: dict[str, Any],
    trainer: TrainerDeclaration,
    automated: AutomatedLevel | None,
    today: date,
) -> list[PrerequisiteCheck]:
    """The status of each prerequisite the référentiel asks for (empty when it asks for none)."""
    levels = {level["id"]: level["label"] for level in document.get("levels", [])}
    checks = []
    for kind in required_kinds(document):
        if kind == TRAINER_EXPERIENCE:
            checks.append(_trainer_check(trainer))
            checks.append(_accompaniment_check(trainer))
        else:
            years = automated_validity_years(document) or 0
            checks.append(_automated_check(automated, years=years, levels=levels, today=today))
    return checks


def enrolment_checks(enrolment: Any, *, today: date | None = None) -> list[PrerequisiteCheck]:
    """The prerequisite status of one enrolment (its declaration and the person's applicable
    automated result, read through the testing hook)."""
    today = today or timezone.localdate()
    document = enrolment.campaign.framework_version.document
    automated = (
        automated_level_of(enrolment.candidate_id, enrolment.campaign, on=today)
        if AUTOMATED_RESULT in required_kinds(document)
        else None
    )
    return evaluate(
        document=document,
        trainer=TrainerDeclaration(
            years=enrolment.trainer_experience_years,
            description=enrolment.trainer_experience,
            declared=enrolment.trainer_experience_declared,
            has_attestation=bool(enrolment.trainer_attestation_storage),
            accompaniment=enrolment.learner_accompaniment,
        ),
        automated=automated,
        today=today,
    )


def unmet_message(checks: list[PrerequisiteCheck]) -> str:
    """One French sentence listing the unmet prerequisites, or "" when all are met."""
    missing = [f"{c.label} — {c.explanation}" for c in checks if not c.met]
    if not missing:
        return ""
    return _("Prérequis non rempli : %(list)s") % {"list": " ; ".join(missing)}
