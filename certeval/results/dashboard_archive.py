"""The bordereaux of one academy's candidates in one zip, for the DRANE: every candidate of the
academy whose decision is validated and whose result is published (the campaign's or their
session's), one PDF each, named after the candidate. Organisers of the whole campaign and
administrators get any academy; an organiser limited to an academy only theirs (the caller checks).
The download is audited."""

from __future__ import annotations

import io
import zipfile

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import Academy, Campaign
from certeval.juries.models import Deliberation, OralSlot
from certeval.juries.pdf import score_sheet_pdf
from certeval.results.selectors import RESULT_STATES


def published_slots(campaign: Campaign, academy: Academy) -> list[tuple[OralSlot, Deliberation]]:
    """The orals of the academy's candidates with a published, validated decision (the latest one)."""
    slots = (
        OralSlot.objects.filter(enrolment__campaign=campaign, enrolment__academy=academy)
        .filter(
            Q(enrolment__campaign__state__in=RESULT_STATES)
            | Q(enrolment__session__results_publication__isnull=False)
        )
        .select_related("jury__campaign", "enrolment__candidate", "enrolment__academy")
        .order_by("enrolment__candidate__birth_name", "enrolment__candidate__first_names", "pk")
    )
    latest: dict[int, Deliberation] = {}
    for deliberation in Deliberation.objects.filter(slot__in=slots).order_by("slot_id", "number"):
        latest[deliberation.slot_id] = deliberation
    return [
        (slot, latest[slot.pk])
        for slot in slots
        if slot.pk in latest and latest[slot.pk].state == Deliberation.State.VALIDATED
    ]


def academy_archive_name(campaign: Campaign, academy: Academy) -> str:
    return f"bordereaux-{slugify(campaign.slug or campaign.title)}-{slugify(academy.code)}.zip"


def score_sheets_archive(*, campaign: Campaign, academy: Academy, by: User) -> tuple[bytes, int]:
    """The zip of the academy's bordereaux and how many it holds (0: nothing is published yet)."""
    pairs = published_slots(campaign, academy)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for slot, deliberation in pairs:
            name = slugify(slot.enrolment.candidate.display_name) or "candidat"
            archive.writestr(
                f"bordereau-{name}-{slot.enrolment_id}.pdf",
                score_sheet_pdf(slot=slot, deliberation=deliberation),
            )
    if pairs:
        with transaction.atomic():
            audit_record(
                actor=by,
                action="results.score_sheets_archive",
                target=campaign,
                data={"academy": academy.code, "sheets": len(pairs)},
            )
    return buffer.getvalue(), len(pairs)
