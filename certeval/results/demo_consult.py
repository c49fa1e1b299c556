"""The consultation log in the demo (docs/privacy.md, « Consultation log »): the demo's jurors read and
scored their candidates' dossiers, the presidents harmonised and the INSPÉ teacher evaluated her
student through the services, before any page was opened. Each of those readings is recorded through
the same write path the pages use (``certeval.campaigns.consult.consult_enrolment``), at the time of
the scoring, the validation or the attachment, so that every demo candidate's « Mes données »
(``/donnees-personnelles/mes-donnees/``) lists who consulted their file. Idempotent: a reading is
recorded once per person, candidate, page and window."""

from __future__ import annotations

from typing import TextIO

from certeval.campaigns.consult import consult_enrolment
from certeval.core.demo import DemoAccount
from certeval.juries.models import Deliberation, GridScore, TeacherAttachment


def populate(stdout: TextIO) -> list[DemoAccount]:
    count = 0
    scores = GridScore.objects.select_related("juror__user", "slot__enrolment__candidate").order_by("pk")
    for score in scores:
        enrolment = score.slot.enrolment
        at = score.submitted_at or score.updated_at
        consult_enrolment(score.juror.user, enrolment, "dossier_reading", at=at)
        consult_enrolment(score.juror.user, enrolment, "scoring", at=at)
        count += 1
    validated = Deliberation.objects.filter(validated_by__isnull=False).select_related(
        "validated_by", "slot__enrolment__candidate"
    )
    for deliberation in validated.order_by("pk"):
        consult_enrolment(
            deliberation.validated_by, deliberation.slot.enrolment, "president", at=deliberation.validated_at
        )
    for attachment in TeacherAttachment.objects.select_related("teacher", "enrolment__candidate"):
        consult_enrolment(
            attachment.teacher, attachment.enrolment, "teacher_evaluation", at=attachment.attached_at
        )
    stdout.write(f"Consultation log: the readings of {count} juror scorings recorded.\n")
    return []


def notes() -> list[str]:
    return [
        "« Mes données » (/donnees-personnelles/mes-donnees/): every demo candidate whose dossier the jurors "
        "read lists who consulted their file (JSON and PDF export)."
    ]
