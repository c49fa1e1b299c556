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
from certeval.campaigns.titre_selectors import record_dates
from certeval.campaigns.titre_services import held_blocs_record
from certeval.domain.rules.deliberation import (
    AutomatedLevel,
    DeliberationInput,
    DeliberationOutcome,
    Verdicts,
    VerdictsError,
    decision_kind,
    evaluate_deliberation,
    parse_verdicts,
)
from certeval.domain.rules.final import BlockRule
from certeval.domain.rules.ruleset import RuleSet
from certeval.domain.rules.titre_blocs import interview_points, merge_record
from certeval.dossiers.evidence_selectors import enrolment_evidence
from certeval.frameworks.selectors import framework_of
from certeval.juries import hooks, selectors
from certeval.juries.errors import JuryError
from certeval.juries.models import (
    Deliberation,
    OralSlot,
)
from certeval.juries.services.scoring import _grid_of
from certeval.testing.selectors import applicable_result


def _verdicts_error(error: VerdictsError) -> JuryError:
    """The French message of validations the rules would not read."""
    messages = {
        "unknown_competence": _("Compétence inconnue du référentiel."),
        "competence_value": _("Chaque compétence est validée ou non validée."),
        "no_verdicts": _("Ce référentiel ne se décide ni par compétences ni par blocs."),
        "unknown_block": _("Bloc inconnu du référentiel."),
        "interview_value": _("L'entretien final est réussi, non réussi ou non passé."),
        "block_date": _("Indiquez la date de validation du bloc %(block)s.") % {"block": error.subject},
        "block_future": _("La date de validation du bloc %(block)s est dans le futur.")
        % {"block": error.subject},
        "interview_point": _("Point de la grille de l'entretien final inconnu."),
    }
    return JuryError(messages.get(error.code) or _("Validations incohérentes : %(error)s") % {"error": error})


def deliberation_outcome(
    *,
    slot: OralSlot,
    consensus: Mapping[str, str | None],
    oral_levels: Mapping[str, str | None],
    on: date,
    verdicts: Verdicts,
) -> DeliberationOutcome:
    """The levels and the decision of a deliberation, by the domain rules
    (:func:`certeval.domain.rules.deliberation.evaluate_deliberation`), on the campaign's policy
    and practice setting and the candidate's automated result."""
    campaign = slot.jury.campaign
    _framework, rules = framework_of(campaign.framework_version)
    settings = selectors.jury_settings_of(campaign)
    # The person's applicable result on the day of the decision (certeval.testing.selectors); an
    # expired one is passed on, so that the decision explains that it expired.
    automated = applicable_result(slot.enrolment, on=on, include_expired=True)
    given = DeliberationInput(
        on=on,
        consensus=consensus,
        oral_levels=oral_levels,
        verdicts=verdicts,
        automated=None if automated is None else AutomatedLevel(automated.level, automated.obtained_on),
        policy=campaign.final_policy,
        practice_source=settings.practice_source,
        # The evidence declared in the frozen dossier: the explicit constraints of competences
        # (langues C2 and C5, seed 000) read it, as ``certeval evaluate`` reads ``evidence``.
        evidence=enrolment_evidence(slot.enrolment, campaign.framework_version),
    )
    return evaluate_deliberation(rules, given)


def decision_verdicts(slot: OralSlot, draft: Deliberation) -> Verdicts:
    """The validations the decision reads: the jury's, completed for a title by blocs by the
    person's bloc record (blocs validated in earlier sessions or campaigns, seed 003)."""
    verdicts = selectors.deliberation_verdicts(draft)
    _framework, rules = framework_of(slot.jury.campaign.framework_version)
    if isinstance(rules.final, BlockRule):
        verdicts = merge_record(verdicts, record_dates(slot.enrolment))
    return verdicts


def _with_interview_grid(
    rules: RuleSet, verdicts: Mapping[str, Any] | None, consensus: Mapping[str, str | None]
) -> Mapping[str, Any] | None:
    """A title's final interview scored on its grid (seed 003's five points, in the consensus
    grid): its points join the validations and decide the interview."""
    final = rules.final
    if not isinstance(final, BlockRule) or not final.interview_points:
        return verdicts
    top = rules.ladder.ids[-1]
    points = interview_points([p for p, _text in final.interview_points], consensus, top)
    if not points:
        return verdicts
    data = {k: v for k, v in (verdicts or {}).items() if k != "final_interview"}
    data["final_interview_points"] = points
    return data


def decide_draft(slot: OralSlot, draft: Deliberation) -> DeliberationOutcome:
    """Compute the draft's levels and decision today and store them (the model's JSON); shared by
    the president's deliberation and the teachers' evaluation (certeval.juries.teacher_services)."""
    outcome = deliberation_outcome(
        slot=slot,
        consensus=draft.consensus,
        oral_levels=draft.oral_levels,
        on=timezone.localdate(),
        verdicts=decision_verdicts(slot, draft),
    )
    draft.evaluation = outcome.to_json()
    draft.final_level = outcome.final.level or ""
    draft.outcome = outcome.final.outcome or ""
    return outcome


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
    verdicts = _with_interview_grid(rules, verdicts, consensus)
    try:
        checked = parse_verdicts(rules.final, verdicts or {}, timezone.localdate())
    except VerdictsError as error:
        raise _verdicts_error(error) from error
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
        draft.verdicts = checked.to_json(decision_kind(rules.final))
        draft.verdict_comments = {k: v for k, v in (verdict_comments or {}).items() if v.strip()}
        decide_draft(slot, draft)
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
        freeze_decision(slot=slot, draft=draft, actor=actor)
    return draft


def freeze_decision(*, slot: OralSlot, draft: Deliberation, actor: User) -> None:
    """Inside the caller's transaction, with the draft locked: compute its decision today, record who
    validated it and when, freeze it, log the decision and run the ``DELIBERATION_VALIDATED`` hooks."""
    outcome = decide_draft(slot, draft)
    draft.state = Deliberation.State.VALIDATED
    draft.validated_by = actor
    draft.validated_at = timezone.now()
    draft.save()
    audit_record(
        actor=actor,
        action="juries.decision",
        target=slot.enrolment,
        message=" ".join(outcome.final.reasons),
        data={
            "deliberation": draft.number,
            "final_level": draft.final_level,
            "outcome": draft.outcome,
            "practice_level": None if outcome.practice is None else outcome.practice.level,
            "verdicts": draft.verdicts,
        },
    )
    _framework, rules = framework_of(slot.jury.campaign.framework_version)
    if isinstance(rules.final, BlockRule):
        # Title by blocs (seed 003): the blocs this deliberation validates join the person's record.
        own = selectors.deliberation_verdicts(draft).blocks
        held_blocs_record(
            enrolment=slot.enrolment,
            validated={b: s.on for b, s in own.items() if s.validated and s.on is not None},
            deliberation_ref=draft.pk,
            by=actor,
        )
    for hook in hooks.DELIBERATION_VALIDATED:
        hook(draft, actor)


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
