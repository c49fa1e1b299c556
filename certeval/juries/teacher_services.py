"""Writes of the teachers' evaluation (seed 002, INSPÉ initial training): the organiser attaches a
teacher of the campaign's organisation to a student; the teacher records the one professional
activity evaluated and the grid, phase by phase; validating it records the decision.

The evaluation is the same :class:`~certeval.juries.models.Deliberation` a composed jury's president
records — on the student's slot in the campaign's teachers' jury (``Jury.Kind.TEACHERS``, number
0) — so awards, results files, publication and the dashboard read it unchanged. Its levels and
decision come from :func:`certeval.juries.services.deliberation.deliberation_outcome`, the domain's
``evaluate_deliberation`` that ``certeval evaluate`` runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.accounts.roles import Role
from certeval.audit.services import audit_record
from certeval.campaigns.models import Campaign, Enrolment
from certeval.campaigns.services import reviewer_assign
from certeval.juries.errors import JuryError
from certeval.juries.models import (
    AssessedActivity,
    Deliberation,
    Jury,
    JuryGroup,
    OralSlot,
    TeacherAttachment,
)
from certeval.juries.services.deliberation import decide_draft, freeze_decision
from certeval.juries.services.scoring import _grid_of
from certeval.juries.teacher_permissions import campaigns_with_teachers, teachers_of, teaches

TEACHERS_JURY_NUMBER = 0
NON_OBSERVABLE = "non_observable"


def _teachers_jury(campaign: Campaign) -> Jury:
    """The campaign's one teachers' jury (created on the first attachment)."""
    jury = Jury.objects.filter(campaign=campaign, kind=Jury.Kind.TEACHERS).first()
    if jury is not None:
        return jury
    group, _created = JuryGroup.objects.get_or_create(
        campaign=campaign, name=_("Évaluation par les enseignants")
    )
    return Jury.objects.create(
        campaign=campaign,
        group=group,
        kind=Jury.Kind.TEACHERS,
        number=TEACHERS_JURY_NUMBER,
        halfday=f"{timezone.localdate():%Y-%m-%d}-am",
    )


def _evaluation_slot(enrolment: Enrolment) -> OralSlot:
    """The student's evaluation (a slot of the teachers' jury), created once."""
    existing = OralSlot.objects.filter(enrolment=enrolment).select_related("jury").first()
    if existing is not None:
        if existing.jury.kind != Jury.Kind.TEACHERS:
            raise JuryError(_("Ce candidat est déjà convoqué devant un jury composé."))
        return existing
    jury = _teachers_jury(enrolment.campaign)
    index = (jury.slots.order_by("-index").values_list("index", flat=True).first() or 0) + 1
    return OralSlot.objects.create(
        jury=jury,
        enrolment=enrolment,
        index=index,
        starts_at=timezone.make_aware(datetime.combine(timezone.localdate(), time(9, 0))),
        duration_minutes=enrolment.campaign.oral_duration_minutes,
    )


def teacher_attach(*, actor: User, enrolment: Enrolment, teacher: User) -> TeacherAttachment:
    """Attach a teacher of the campaign's organisation to an initial-training student."""
    campaign = enrolment.campaign
    if not campaigns_with_teachers(actor).filter(pk=campaign.pk).exists():
        raise JuryError(
            _("Seuls les organisateurs d'une campagne d'organisation rattachent les enseignants.")
        )
    if not teachers_of(campaign).filter(pk=teacher.pk).exists():
        raise JuryError(_("Cette personne n'est pas enseignante de l'organisation de la campagne."))
    if enrolment.training != Enrolment.Training.INITIAL:
        raise JuryError(
            _(
                "Seuls les étudiants en formation initiale sont évalués par leurs enseignants ; la formation continue passe devant un jury."
            )
        )
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise JuryError(_("Ce candidat n'est plus inscrit."))
    with transaction.atomic():
        Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if TeacherAttachment.objects.filter(enrolment=enrolment, teacher=teacher).exists():
            raise JuryError(_("Cet enseignant est déjà rattaché à cet étudiant."))
        _evaluation_slot(enrolment)  # the evaluation exists from the first attachment
        attachment = TeacherAttachment.objects.create(enrolment=enrolment, teacher=teacher, attached_by=actor)
        # The teacher reads the student's dossier (the traces of the activity), as a juror would.
        reviewer_assign(enrolment=enrolment, user=teacher, role=Role.JUROR, by=actor)
        audit_record(
            actor=actor,
            action="juries.teacher_attach",
            target=enrolment,
            data={"user": teacher.pk},
        )
    return attachment


def evaluation_slot_of(enrolment: Enrolment) -> OralSlot | None:
    return (
        OralSlot.objects.filter(enrolment=enrolment, jury__kind=Jury.Kind.TEACHERS)
        .select_related("jury__campaign__framework_version", "enrolment__candidate")
        .first()
    )


def _check_teacher(actor: User, enrolment: Enrolment) -> OralSlot:
    if not teaches(actor, enrolment):
        raise JuryError(_("Seuls les enseignants rattachés à l'étudiant l'évaluent."))
    slot = evaluation_slot_of(enrolment)
    if slot is None:  # pragma: no cover - an attachment always creates the slot
        raise JuryError(_("Aucune évaluation pour cet étudiant."))
    return slot


def teacher_evaluation_save(
    *,
    actor: User,
    enrolment: Enrolment,
    activity_title: str,
    activity_description: str,
    levels: Mapping[str, str],
    comments: Mapping[str, str],
) -> Deliberation:
    """Record the activity and the grid as a draft and compute the levels and decision.

    ``levels`` maps a criterion to a level id, ``"non_observable"`` or ``""`` (not observed)."""
    slot = _check_teacher(actor, enrolment)
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise JuryError(
            _("Ce candidat n'est plus inscrit (%(status)s).") % {"status": enrolment.get_status_display()}
        )
    framework, _rules, grid = _grid_of(slot.jury.campaign)
    criteria = {c.id for c in grid.criteria}
    items = {i.id for i in grid.items}
    known = {level.id for level in framework.levels}
    if not set(levels) <= criteria or not set(comments) <= items:
        raise JuryError(_("Critère ou item inconnu."))
    consensus = {k: v for k, v in levels.items() if v and v != NON_OBSERVABLE}
    if not set(consensus.values()) <= known:
        raise JuryError(_("Niveau inconnu."))
    title = activity_title.strip()
    if not title:
        raise JuryError(_("Indiquez l'activité professionnelle évaluée."))
    if len(title) > 200:
        raise JuryError(_("L'intitulé de l'activité ne dépasse pas 200 caractères."))
    with transaction.atomic():
        draft = slot.deliberations.select_for_update().filter(state=Deliberation.State.DRAFT).first()
        if draft is None:
            if slot.deliberations.filter(state=Deliberation.State.VALIDATED).exists():
                raise JuryError(_("L'évaluation est validée : elle ne change plus."))
            draft = Deliberation(slot=slot, number=1, created_by=actor)
        AssessedActivity.objects.update_or_create(
            enrolment=enrolment,
            defaults={"title": title, "description": activity_description.strip(), "updated_by": actor},
        )
        draft.consensus = consensus
        draft.item_comments = {k: v.strip() for k, v in comments.items() if v.strip()}
        decide_draft(slot, draft)
        draft.full_clean(exclude=["slot", "created_by"])
        draft.save()
        audit_record(
            actor=actor,
            action="juries.teacher_evaluation_save",
            target=enrolment,
            data={"deliberation": draft.number, "final_level": draft.final_level, "outcome": draft.outcome},
        )
    return draft


def teacher_evaluation_validate(*, actor: User, enrolment: Enrolment) -> Deliberation:
    """A teacher validates the evaluation: the decision is recomputed today, recorded and frozen."""
    slot = _check_teacher(actor, enrolment)
    with transaction.atomic():
        draft = slot.deliberations.select_for_update().filter(state=Deliberation.State.DRAFT).first()
        if draft is None:
            raise JuryError(_("Enregistrez d'abord l'évaluation."))
        if not hasattr(enrolment, "assessed_activity"):
            raise JuryError(_("Indiquez l'activité professionnelle évaluée."))
        freeze_decision(slot=slot, draft=draft, actor=actor)
    return draft
