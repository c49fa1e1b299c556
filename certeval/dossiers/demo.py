"""The dossiers context's help to the demo seeders: a small real PDF, deposited and frozen on time."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from certeval.accounts.models import User
from certeval.campaigns.models import Enrolment
from certeval.dossiers.services import dossier_file_upload, dossier_submit


def dossier_pdf(name: str, pages: int, heading: str = "Dossier Pix+ Édu") -> bytes:
    """A small real PDF standing for a candidate's dossier."""
    from weasyprint import HTML

    body = "".join(
        f"<section style='page-break-after: always'><h2>Partie {i}</h2>"
        f"<p>Conception, mise en œuvre et retour réflexif d'une séquence intégrant le numérique "
        f"— dossier de {name}.</p></section>"
        for i in range(1, pages + 1)
    )
    return HTML(string=f"<html lang='fr'><body><h1>{heading}</h1>{body}</body></html>").write_pdf()


def deposit(
    enrolment: Enrolment,
    person: User,
    *,
    pages: int,
    when: datetime,
    heading: str = "Dossier Pix+ Édu",
    file_name: str = "dossier.pdf",
    title: str = "Dossier",
) -> None:
    """The candidate deposits one document at ``when`` and submits it five minutes later."""
    data = dossier_pdf(person.get_full_name(), pages, heading=heading)
    dossier_file_upload(
        enrolment=enrolment,
        by=person,
        fileobj=io.BytesIO(data),
        original_name=file_name,
        size=len(data),
        kind="document",
        title=title,
        now=when,
    )
    dossier_submit(enrolment=enrolment, by=person, now=when + timedelta(minutes=5))
