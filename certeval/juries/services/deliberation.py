"""Writes of harmonisation and decision: the president's deliberation, validated and frozen, reopened only by a new logged deliberation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.domain.rules import RuleSet
from certeval.domain.rules.errors import CaseError
from certeval.domain.rules.final import BlockRule, CompetenceRule, JointRule
from certeval.juries import selectors
from certeval.juries.errors import JuryError
from certeval.juries.models import (
    Deliberation,
    JurySettings,
    OralSlot,
)
from certeval.juries.services.scoring import _grid_of
from certeval.testing.selectors import applicable_result


def decision_kind(rules: RuleSet) -> str:
    """``joint_level`` (Pix+ Édu, INSPÉ), ``competences`` or ``blocks``: the kind of ``rules.final``."""
    if isinstance(rules.final, CompetenceRule):
        return "competences"
    if isinstance(rules.final, BlockRule):
        return "blocks"
    return "joint_level"


def verdicts_case(rules: RuleSet, verdicts: Mapping[str, Any], on: date) -> dict[str, Any]:
    """The issue 3 case of a competence or bloc decision, from the jury's recorded validations."""
    if isinstance(rules.final, CompetenceRule):
        return {"component": "final", "competences": dict(verdicts.get("competences", {}))}
    return {
        "component": "final",
        "blocks": dict(verdicts.get("blocks", {})),
        "final_interview": verdicts.get("final_interview"),
        "on": on.isoformat(),
    }


def _check_verdicts(rules: RuleSet, verdicts: Mapping[str, Any]) -> None:
    """Refuse, in French, validations the rules would not read: unknown competences or blocs, a
    validated bloc without a valid date, or a date in the future."""
    if isinstance(rules.final, CompetenceRule):
        marks = verdicts.get("competences", {})
        if set(verdicts) - {"competences"} or not set(marks) <= set(rules.final.competences):
            raise JuryError(_("Compétence inconnue du référentiel."))
        if not all(isinstance(v, bool) for v in marks.values()):
            raise JuryError(_("Chaque compétence est validée ou non validée."))
        return
    if not isinstance(rules.final, BlockRule):
        if verdicts:
            raise JuryError(_("Ce référentiel ne se décide ni par compétences ni par blocs."))
        return
    blocks = verdicts.get("blocks", {})
    if set(verdicts) - {"blocks", "final_interview"} or not set(blocks) <= set(rules.final.blocks):
        raise JuryError(_("Bloc inconnu du référentiel."))
    if verdicts.get("final_interview") not in (True, False, None):
        raise JuryError(_("L'entretien final est réussi, non réussi ou non passé."))
    today = timezone.localdate()
    for block, status in blocks.items():
        if not status.get("validated"):
            continue
        try:
            on = date.fromisoformat(status.get("on") or "")
        except ValueError:
            raise JuryError(
                _("Indiquez la date de validation du bloc %(block)s.") % {"block": block}
            ) from None
        if on > today:
            raise JuryError(
                _("La date de validation du bloc %(block)s est dans le futur.") % {"block": block}
            )


def evaluate_deliberation(
    *,
    slot: OralSlot,
    consensus: Mapping[str, str | None],
    oral_levels: Mapping[str, str | None],
    on: date,
    verdicts: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Levels and French reasons from issue 3's rules: the dossier grid, the oral score sheet, the
    practice level (campaign setting) and the final decision — joint level (campaign policy,
    automated result), every competence validated, or every bloc held and the final interview passed."""
    campaign = slot.jury.campaign
    _framework, rules = selectors.framework_of(campaign.framework_version)
    result: dict[str, Any] = {"kind": decision_kind(rules)}
    dossier = oral = None
    if rules.dossier is not None:
        dossier = rules.dossier.evaluate({k: v for k, v in consensus.items() if v})
        result["dossier"] = {"level": dossier.level, "reasons": list(dossier.reasons)}
    if rules.oral is not None:
        oral = rules.oral.evaluate({k: v for k, v in oral_levels.items() if v})
        result["oral"] = {"level": oral.level, "reasons": list(oral.reasons)}
    if isinstance(rules.final, CompetenceRule | BlockRule):
        try:
            final = rules.evaluate(verdicts_case(rules, verdicts or {}, on))
        except CaseError as error:
            raise JuryError(_("Validations incohérentes : %(error)s") % {"error": error}) from error
        result["final"] = {
            "level": None,
            "outcome": final.outcome,
            "reasons": list(final.reasons),
            "details": dict(final.details),
        }
        return result
    settings = selectors.jury_settings_of(campaign)
    ladder = rules.ladder
    sheet_level = oral.level if oral is not None else None
    dossier_level = dossier.level if dossier is not None else None
    if settings.practice_source == JurySettings.PracticeSource.LOWER:
        practice = ladder.lower(sheet_level, dossier_level) if sheet_level and dossier_level else None
        why = _("le plus bas des niveaux du dossier et du bordereau")
    else:
        practice = sheet_level
        why = _("le niveau du bordereau d'entretien")
    shown = ladder.label(practice) if practice else _("aucun niveau")
    result["practice"] = {
        "level": practice,
        "reasons": [
            _("Niveau de pratique professionnelle (réglage de la campagne : %(why)s) : %(level)s")
            % {"why": why, "level": shown}
        ],
    }
    # The person's applicable result on the day of the decision (certeval.testing.selectors); an
    # expired one is passed on, so that the decision explains that it expired.
    automated = applicable_result(slot.enrolment, on=on, include_expired=True)
    result["automated"] = (
        None
        if automated is None
        else {"level": automated.level, "obtained_on": automated.obtained_on.isoformat()}
    )
    if not isinstance(rules.final, JointRule):
        result["final"] = {"level": practice, "outcome": None, "reasons": result["practice"]["reasons"]}
        return result
    policy = (
        campaign.final_policy if campaign.final_policy in rules.final.policies else rules.final.default_policy
    )
    final = rules.final.evaluate(
        policy,
        on,
        None if automated is None else automated.level,
        None if automated is None else automated.obtained_on,
        practice,
    )
    result["final"] = {"level": final.level, "outcome": final.outcome, "reasons": list(final.reasons)}
    return result


def _check_president(slot: OralSlot, actor: User) -> None:
    from certeval.juries.permissions import can_harmonise

    if not can_harmonise(actor, slot.jury):
        raise JuryError(_("Seul le président du jury harmonise et valide les décisions."))


def deliberation_save(
    *,
    slot: OralSlot,
    actor: User,
    consensus: Mapping[str, str | None],
    item_comments: Mapping[str, str],
    oral_levels: Mapping[str, str | None],
    oral_comments: Mapping[str, str],
    verdicts: Mapping[str, Any] | None = None,
    verdict_comments: Mapping[str, str] | None = None,
) -> Deliberation:
    """Record the jury's consensus grid, oral score sheet and — for competence or bloc
    référentiels — its validations (``verdicts``: ``{"competences": {id: bool}}`` or
    ``{"blocks": {id: {"validated": bool, "on": "YYYY-MM-DD"}}, "final_interview": bool | None}``)
    as a draft, and compute the levels and the decision."""
    _check_president(slot, actor)
    framework, rules, grid = _grid_of(slot.jury.campaign)
    criteria = {c.id for phase in grid.phases for item in phase.items for c in item.criteria}
    sheet = selectors.oral_sheet(framework, rules)
    domains = set(sheet.domains) if sheet is not None else set()
    levels = {level.id for level in framework.levels}
    if not set(consensus) <= criteria or not set(oral_levels) <= domains:
        raise JuryError(_("Critère ou domaine inconnu."))
    if not {v for v in [*consensus.values(), *oral_levels.values()] if v} <= levels:
        raise JuryError(_("Niveau inconnu."))
    _check_verdicts(rules, verdicts or {})
    with transaction.atomic():
        draft = slot.deliberations.select_for_update().filter(state=Deliberation.State.DRAFT).first()
        if draft is None:
            if slot.deliberations.filter(state=Deliberation.State.VALIDATED).exists():
                raise JuryError(
                    _("La décision est validée : ouvrez une nouvelle délibération motivée pour la modifier.")
                )
            draft = Deliberation(slot=slot, number=1, created_by=actor)
        draft.consensus = {k: v for k, v in consensus.items() if v}
        draft.item_comments = {k: v for k, v in item_comments.items() if v.strip()}
        draft.oral_levels = {k: v for k, v in oral_levels.items() if v}
        draft.oral_comments = {k: v for k, v in oral_comments.items() if v.strip()}
        draft.verdicts = dict(verdicts or {})
        draft.verdict_comments = {k: v for k, v in (verdict_comments or {}).items() if v.strip()}
        draft.evaluation = evaluate_deliberation(
            slot=slot,
            consensus=draft.consensus,
            oral_levels=draft.oral_levels,
            on=timezone.localdate(),
            verdicts=draft.verdicts,
        )
        draft.final_level = draft.evaluation["final"]["level"] or ""
        draft.outcome = draft.evaluation["final"]["outcome"] or ""
        draft.full_clean(exclude=["slot", "created_by"])
        draft.save()
        audit_record(
            actor=actor,
            action="juries.deliberation_save",
            target=slot.enrolment,
            data={"deliberation": draft.number, "final_level": draft.final_level, "outcome": draft.outcome},
        )
    return draft


def deliberation_validate(*, slot: OralSlot, actor: User) -> Deliberation:
    """The president validates the draft: the decision is recorded (who, when) and frozen."""
    _check_president(slot, actor)
    with transaction.atomic():
        draft = slot.deliberations.select_for_update().filter(state=Deliberation.State.DRAFT).first()
        if draft is None:
            raise JuryError(_("Aucune délibération en cours pour ce candidat."))
        draft.evaluation = evaluate_deliberation(
            slot=slot,
            consensus=draft.consensus,
            oral_levels=draft.oral_levels,
            on=timezone.localdate(),
            verdicts=draft.verdicts,
        )
        draft.final_level = draft.evaluation["final"]["level"] or ""
        draft.outcome = draft.evaluation["final"]["outcome"] or ""
        draft.state = Deliberation.State.VALIDATED
        draft.validated_by = actor
        draft.validated_at = timezone.now()
        draft.save()
        audit_record(
            actor=actor,
            action="juries.decision",
            target=slot.enrolment,
            message=" ".join(draft.evaluation["final"]["reasons"]),
            data={
                "deliberation": draft.number,
                "final_level": draft.final_level,
                "outcome": draft.outcome,
                "practice_level": (draft.evaluation.get("practice") or {}).get("level"),
                "verdicts": draft.verdicts,
            },
        )
    return draft


def deliberation_reopen(*, slot: OralSlot, actor: User, reason: str) -> Deliberation:
    """Open a new deliberation on a validated decision, starting from it; the reason is logged."""
    _check_president(slot, actor)
    if not reason.strip():
        raise JuryError(_("Indiquez le motif de la nouvelle délibération."))
    with transaction.atomic():
        previous = slot.deliberations.select_for_update().order_by("-number").first()
        if previous is None or previous.state != Deliberation.State.VALIDATED:
            raise JuryError(_("Il n'y a pas de décision validée à reprendre."))
        draft = Deliberation.objects.create(
            slot=slot,
            number=previous.number + 1,
            consensus=previous.consensus,
            item_comments=previous.item_comments,
            oral_levels=previous.oral_levels,
            oral_comments=previous.oral_comments,
            verdicts=previous.verdicts,
            verdict_comments=previous.verdict_comments,
            evaluation=previous.evaluation,
            final_level=previous.final_level,
            outcome=previous.outcome,
            change_reason=reason.strip(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="juries.deliberation_reopen",
            target=slot.enrolment,
            message=reason.strip(),
            data={"deliberation": draft.number, "previous": previous.number},
        )
    return draft
