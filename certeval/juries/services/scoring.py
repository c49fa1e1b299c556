"""Writes of meetings and independent scoring (one juror's grid, autosaved, then submitted)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import Campaign, Regroupement
from certeval.frameworks.selectors import framework_of
from certeval.juries import selectors
from certeval.juries.errors import JuryError
from certeval.juries.models import (
    GridScore,
    Juror,
    JuryGroup,
    JuryMember,
    Meeting,
    OralSlot,
)


@transaction.atomic
def meeting_record(
    *,
    group: JuryGroup | None,
    kind: str,
    held_at: datetime,
    attendees: Iterable[User],
    minutes: str,
    actor: User,
    regroupement: Regroupement | None = None,
) -> Meeting:
    """Record a calibration or harmonisation meeting of a group of juries or, when the campaign has
    regroupements inter-académiques, of a regroupement (all its juries, before or after composition)."""
    if group is None and regroupement is None:
        raise JuryError(_("Une réunion concerne un groupe de jurys ou un regroupement."))
    meeting = Meeting(
        group=group, regroupement=regroupement, kind=kind, held_at=held_at, minutes=minutes, recorded_by=actor
    )
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(list(attendees))
    target: Any = regroupement.campaign if regroupement is not None else group
    audit_record(
        actor=actor,
        action="juries.meeting",
        target=target,
        data={"meeting": meeting.pk, "kind": kind, "regroupement": getattr(regroupement, "pk", None)},
    )
    return meeting


def _grid_of(campaign: Campaign) -> tuple[Any, Any, Any]:
    framework, rules = framework_of(campaign.framework_version)
    return framework, rules, selectors.dossier_grid(framework, rules)


def _slot_grid_of(slot: OralSlot) -> tuple[Any, Any, Any]:
    """The grid scored for this candidate (a title's: the blocs they present)."""
    framework, rules = framework_of(slot.jury.campaign.framework_version)
    return framework, rules, selectors.slot_grid(slot, framework, rules)


def _check_scoring(slot: OralSlot, juror: Juror) -> None:
    if not JuryMember.objects.filter(jury_id=slot.jury_id, juror=juror).exists():
        raise JuryError(_("Vous ne siégez pas dans le jury de ce candidat."))
    settings = selectors.jury_settings_of(slot.jury.campaign)
    if not selectors.scoring_open(slot.jury, settings):
        raise JuryError(_("L'évaluation s'ouvre après la réunion de cadrage de votre groupe de jurys."))


def _merge(stored: dict[str, str], posted: Mapping[str, str]) -> None:
    """Apply what was posted: a value (or a comment with text) replaces, an empty one clears."""
    for key, value in posted.items():
        if value.strip():
            stored[key] = value
        else:
            stored.pop(key, None)


def grid_score_save(
    *,
    slot: OralSlot,
    juror: Juror,
    levels: Mapping[str, str] | None = None,
    comments: Mapping[str, str] | None = None,
    oral_levels: Mapping[str, str] | None = None,
    oral_comments: Mapping[str, str] | None = None,
) -> GridScore:
    """Save what the juror has typed so far (any subset of criteria and items, and of the oral
    score sheet's domains: ``""`` = not evaluated)."""
    _check_scoring(slot, juror)
    framework, rules, grid = _slot_grid_of(slot)
    criteria = {c.id for phase in grid.phases for item in phase.items for c in item.criteria}
    items = {item.id for phase in grid.phases for item in phase.items}
    sheet = selectors.oral_sheet(framework, rules)
    domains = set(sheet.domains) if sheet is not None else set()
    level_ids = {level.id for level in framework.levels}
    allowed = level_ids | {GridScore.NON_OBSERVABLE, ""}
    levels = dict(levels or {})
    comments = dict(comments or {})
    oral_levels = dict(oral_levels or {})
    oral_comments = dict(oral_comments or {})
    if not set(levels) <= criteria or not set(comments) <= items:
        raise JuryError(_("Critère ou item inconnu de la grille."))
    if not set(oral_levels) <= domains or not set(oral_comments) <= domains:
        raise JuryError(_("Domaine inconnu du bordereau de l'entretien."))
    if not set(levels.values()) <= allowed or not set(oral_levels.values()) <= level_ids | {""}:
        raise JuryError(_("Niveau inconnu."))
    with transaction.atomic():
        score, _created = GridScore.objects.select_for_update().get_or_create(slot=slot, juror=juror)
        if score.submitted_at is not None:
            raise JuryError(_("Votre évaluation est transmise : elle ne peut plus être modifiée."))
        _merge(score.levels, levels)
        _merge(score.comments, comments)
        _merge(score.oral_levels, oral_levels)
        _merge(score.oral_comments, oral_comments)
        score.save()
    return score


def grid_score_submit(*, slot: OralSlot, juror: Juror, actor: User) -> GridScore:
    """Close the juror's evaluation: every criterion must have a level or be « non observable »."""
    _check_scoring(slot, juror)
    _framework, _rules, grid = _slot_grid_of(slot)
    with transaction.atomic():
        score, _created = GridScore.objects.select_for_update().get_or_create(slot=slot, juror=juror)
        if score.submitted_at is not None:
            return score
        missing = [
            c.id
            for phase in grid.phases
            for item in phase.items
            for c in item.criteria
            if not score.levels.get(c.id)
        ]
        if missing:
            raise JuryError(
                _("Critères sans niveau : %(list)s. Choisissez un niveau ou « non observable ».")
                % {"list": ", ".join(missing)}
            )
        score.submitted_at = timezone.now()
        score.save(update_fields=["submitted_at", "updated_at"])
        audit_record(
            actor=actor, action="juries.score_submit", target=slot.enrolment, data={"juror": juror.pk}
        )
    return score
