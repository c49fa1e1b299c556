"""The minutes (procès-verbal) of a jury, from its validated deliberations, as a PDF to sign
(French, tagged; the look and the signature blocks of the score sheet: ``certeval.juries.pdf``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from certeval.juries.explain import halfday_label, is_halfday
from certeval.juries.models import Jury
from certeval.juries.pdf import render_pdf
from certeval.juries.presidency import presiding_person, signatories
from certeval.results.files_selectors import Minutes


def _place(jury: Jury) -> str:
    """Where the jury sat: by visioconference when it has a link, else the places of its
    candidates' sessions."""
    if jury.visio_link:
        return f"Visioconférence ({jury.visio_link})"
    places = sorted(
        {
            slot.enrolment.session.place
            for slot in jury.slots.all()
            if slot.enrolment.session and slot.enrolment.session.place
        }
    )
    return ", ".join(places) or "Non renseigné"


def minutes_context(minutes: Minutes) -> dict[str, Any]:
    jury = minutes.jury
    president = presiding_person(jury)
    return {
        "jury": jury,
        "campaign": jury.campaign,
        "day": halfday_label(jury.halfday) if is_halfday(jury.halfday) else jury.halfday,
        "place": _place(jury),
        "members": [
            (member.juror.display_name, member.juror.get_role_display(), member.juror.academy.name)
            for member in jury.members.all()
        ],
        "president_name": "" if president is None else (president.get_full_name() or president.email),
        "minutes": minutes,
        "printed_at": timezone.localtime(),
        "signatories": signatories(jury, president),
    }


def minutes_pdf(minutes: Minutes) -> bytes:
    return render_pdf("results/minutes_pdf.html", minutes_context(minutes))
