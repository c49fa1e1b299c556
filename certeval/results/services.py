"""Writes of results: the candidate's download of their bordereau (audited)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.juries import selectors
from certeval.juries.errors import JuryError
from certeval.juries.models import (
    OralSlot,
)
from certeval.juries.pdf import score_sheet_pdf


def score_sheet_candidate_read(*, slot: OralSlot, by: User) -> bytes:
    """The bordereau of the slot's validated decision, as sent to the candidate; the download is audited."""
    deliberation = selectors.validated_deliberation(slot)
    if deliberation is None:
        raise JuryError(_("Aucune décision validée pour ce candidat."))
    with transaction.atomic():
        audit_record(
            actor=by,
            action="juries.score_sheet_download",
            target=slot.enrolment,
            data={"deliberation": deliberation.number},
        )
    return score_sheet_pdf(slot=slot, deliberation=deliberation)
