"""Shared set-up of the preparation-support tests: a candidate with a draft holding one file."""

from __future__ import annotations

import io

from certeval.campaigns.models import Enrolment
from certeval.campaigns.tests.factories import EnrolmentFactory, pdf_bytes
from certeval.dossiers.models import DossierFile
from certeval.dossiers.services import dossier_file_upload


def draft_with_file(**kwargs: object) -> tuple[Enrolment, DossierFile]:
    enrolment = EnrolmentFactory(**kwargs)
    data = pdf_bytes(3)
    stored = dossier_file_upload(
        enrolment=enrolment,
        by=enrolment.candidate.user,
        fileobj=io.BytesIO(data),
        original_name="brouillon.pdf",
        size=len(data),
        kind="document",
        title="Brouillon du dossier",
    )
    return enrolment, stored
