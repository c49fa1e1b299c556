"""The kit of a proctored session (« kit de session »), a PDF to print before the session: the
invigilator's sheet (the session, its hours in Paris time, where it takes place, how to open the
console, the steps from presence to finalisation), the candidate list with how each one joins, then
the session's attendance sheet (``campaigns.attendance``, bound in as it is); and one archive with the
kits of every proctored session of a campaign.

The kit carries the session's access code and invigilator password: only the people who see the
session's console get it (``permissions.deliveries_invigilated``), and each download is audited
(``kit_services``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import override

from certeval.accounts.links import site_url
from certeval.campaigns.attendance import (
    attendance_context,
    attendance_document,
    session_archive,
    session_filename,
)
from certeval.campaigns.models import Session
from certeval.domain.delivery import allowed_seconds
from certeval.testing import sitting_engine as forms
from certeval.testing.models import Incident, SessionDelivery, Sitting

# Where invigilators open the console and where candidates join (the pages of the console and of the
# candidate's test): the kit prints them as absolute addresses.
CONSOLE_PATH = "/surveillance/"
JOIN_PATH = "/epreuve/"


def session_number(delivery: SessionDelivery) -> int:
    """The number an invigilator types with the password to open the console on a room computer: the
    proctored session's own number (``SessionDelivery``), which the console looks up."""
    return delivery.pk


def duration_text(seconds: int) -> str:
    """« 2 h 30 », « 3 h 20 », « 45 min »: a duration in whole minutes, rounded up."""
    minutes = -(-seconds // 60)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def kit_context(delivery: SessionDelivery) -> dict[str, Any]:
    session = delivery.session
    campaign = session.campaign
    remote = session.mode == Session.Mode.REMOTE
    duration = forms.duration_minutes(campaign)
    sheet = attendance_context(session)
    rows = [
        {
            **row,
            "duration": duration_text(allowed_seconds(duration, row["extra_time_percent"])),
        }
        for row in sheet["rows"]
    ]
    return {
        "delivery": delivery,
        "session": session,
        "campaign": campaign,
        "remote": remote,
        "number": session_number(delivery),
        "setup_minutes": forms.setup_minutes(campaign, remote),
        "duration": duration_text(duration * 60),
        "console_url": site_url(CONSOLE_PATH),
        "join_url": site_url(JOIN_PATH),
        "documents": [str(label) for label in Sitting.Document.labels],
        "categories": [str(label) for label in Incident.Category.labels],
        "rows": rows,
    }


def kit_pdf(delivery: SessionDelivery) -> bytes:
    """The invigilator's sheet and the candidate list (A4 portrait), then the attendance sheet (A4
    landscape), in one PDF."""
    from weasyprint import HTML

    with override("fr"):
        html = render_to_string("testing/kits/kit_pdf.html", kit_context(delivery))
        kit = HTML(string=html).render()
        sheet = attendance_document(delivery.session)
    pdf: bytes = kit.copy([*kit.pages, *sheet.pages]).write_pdf()
    return pdf


def kit_filename(delivery: SessionDelivery) -> str:
    return session_filename("kit", delivery.session)


def kit_archive(deliveries: Iterable[SessionDelivery]) -> bytes:
    """A zip with the kit of each session, named by date and label."""
    return session_archive(deliveries, kit_pdf, kit_filename, lambda delivery: delivery.session)
