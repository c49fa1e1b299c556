"""Recording that someone opened a candidate's file (the consultation log of the audit context,
docs/privacy.md, « Consultation log »), from an enrolment: the views of every context call this."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from certeval.audit.consult_services import consultation_record
from certeval.campaigns.models import Enrolment


def consult_enrolment(
    user: Any, enrolment: Enrolment, page: str, name: str = "", at: datetime | None = None
) -> None:
    """``user`` opened ``page`` about ``enrolment``'s candidate (nothing when it is the candidate);
    ``name`` names a reader without an account (an invigilator who opened the console by password)."""
    person_id = (
        Enrolment.objects.filter(pk=enrolment.pk).values_list("candidate__user_id", flat=True).first()
        if "candidate" not in enrolment._state.fields_cache
        else enrolment.candidate.user_id
    )
    consultation_record(
        staff=user,
        staff_name=name,
        person_id=person_id,
        page=page,
        campaign_id=enrolment.campaign_id,
        target=enrolment,
        at=at,
    )
