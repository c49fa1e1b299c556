"""The staff's download of a score sheet (bordereau): permission check, PDF, audit row."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.juries import permissions, selectors
from certeval.juries.errors import JuryError
from certeval.juries.models import OralSlot
from certeval.juries.pdf import score_sheet_pdf


def score_sheet_staff_read(*, slot: OralSlot, by: User) -> bytes:
    """The bordereau (PDF) of the slot's validated decision, for its jury, their president and the
    campaign's organisers; every download writes an audit row (the candidate's own download is
    ``results.services.score_sheet_candidate_read``)."""
    if not permissions.slots_visible(by).filter(pk=slot.pk).exists():
        raise JuryError(_("Vous n'avez pas accès au bordereau de ce candidat."))
    deliberation = selectors.validated_deliberation(slot)
    if deliberation is None:
        raise JuryError(_("Le bordereau est disponible une fois la décision validée."))
    pdf = score_sheet_pdf(slot=slot, deliberation=deliberation)
    with transaction.atomic():
        audit_record(
            actor=by,
            action="juries.score_sheet_download",
            target=slot.enrolment,
            data={"deliberation": deliberation.number, "slot": slot.pk},
        )
    return pdf
