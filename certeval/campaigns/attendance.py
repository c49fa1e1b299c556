"""The attendance sheet (« feuille d'émargement ») of a session of the automated test, as a PDF to
print and sign, and one archive with the sheets of every session of a campaign (centres running many
sessions print them at once). Candidates are listed by name with their birth date (the invigilator
checks identities against it), their academy and the extra time their accommodations give; each has
a blank box to sign on arrival and on leaving.

The sheet is also a rendered document (:func:`attendance_document`) that other contexts bind into
their own PDFs (the session kits of ``testing``), and :func:`session_archive` zips any per-session
PDF."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import override

from certeval.campaigns.models import Session

if TYPE_CHECKING:
    from weasyprint.document import Document


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
                "extra_time_percent": e.extra_time_percent,
            }
            for n, e in enumerate(enrolments, start=1)
        ],
    }


def attendance_document(session: Session) -> Document:
    """The attendance sheet laid out in pages (A4 landscape), ready to be written or bound into
    another document."""
    from weasyprint import HTML

    with override("fr"):
        html = render_to_string("campaigns/attendance_pdf.html", attendance_context(session))
    return HTML(string=html).render()


def attendance_pdf(session: Session) -> bytes:
    pdf: bytes = attendance_document(session).write_pdf()
    return pdf


def session_filename(prefix: str, session: Session) -> str:
    """``<prefix>-<date>-<label>.pdf``: a file name that sorts by date and says which session."""
    return f"{prefix}-{session.starts_at:%Y-%m-%d}-{slugify(session.label)[:60] or session.pk}.pdf"


def attendance_filename(session: Session) -> str:
    return session_filename("emargement", session)


def session_archive[S](
    items: Iterable[S],
    render: Callable[[S], bytes],
    filename: Callable[[S], str],
    session_of: Callable[[S], Session],
) -> bytes:
    """A zip with one PDF per item (a session, or what belongs to one), named by ``filename``; two
    sessions of the same date and label get the session number appended."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        names: set[str] = set()
        for item in items:
            name = filename(item)
            if name in names:
                name = name.removesuffix(".pdf") + f"-{session_of(item).pk}.pdf"
            names.add(name)
            archive.writestr(name, render(item))
    return out.getvalue()


def attendance_archive(sessions: Iterable[Session]) -> bytes:
    """A zip with the attendance sheet of each session, named by date and label."""
    return session_archive(sessions, attendance_pdf, attendance_filename, lambda session: session)
