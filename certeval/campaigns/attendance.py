"""The attendance sheet (« feuille d'émargement ») of a session of the automated test, as a PDF to
print and sign, and one archive with the sheets of every session of a campaign (centres running many
sessions print them at once). Candidates are listed by name with their birth date (the invigilator
checks identities against it), their academy and the extra time their accommodations give; each has
a blank box to sign on arrival and on leaving."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from typing import Any

from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import override

from certeval.campaigns.models import Session


def attendance_context(session: Session) -> dict[str, Any]:
    enrolments = sorted(
        session.enrolments.select_related("candidate", "academy"),
        key=lambda e: (
            (e.candidate.usual_name or e.candidate.birth_name).casefold(),
            e.candidate.first_names,
        ),
    )
    return {
        "session": session,
        "campaign": session.campaign,
        "rows": [
            {
                "number": n,
                "name": (e.candidate.usual_name or e.candidate.birth_name).upper(),
                "birth_name": e.candidate.birth_name.upper() if e.candidate.usual_name else "",
                "first_names": e.candidate.first_names,
                "birth_date": e.candidate.birth_date.strftime("%d/%m/%Y"),
                "academy": e.academy.name,
                "extra_time": f"{e.extra_time_percent} %" if e.extra_time_percent else "",
            }
            for n, e in enumerate(enrolments, start=1)
        ],
    }


def attendance_pdf(session: Session) -> bytes:
    from weasyprint import HTML

    with override("fr"):
        html = render_to_string("campaigns/attendance_pdf.html", attendance_context(session))
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def attendance_filename(session: Session) -> str:
    return f"emargement-{session.starts_at:%Y-%m-%d}-{slugify(session.label)[:60] or session.pk}.pdf"


def attendance_archive(sessions: Iterable[Session]) -> bytes:
    """A zip with the attendance sheet of each session, named by date and label."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        names: set[str] = set()
        for session in sessions:
            name = attendance_filename(session)
            if name in names:
                name = name.removesuffix(".pdf") + f"-{session.pk}.pdf"
            names.add(name)
            archive.writestr(name, attendance_pdf(session))
    return out.getvalue()
