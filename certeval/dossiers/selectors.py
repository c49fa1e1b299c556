"""Reads of dossiers (the caller has already checked permissions)."""

from __future__ import annotations

from django.db.models import QuerySet

from certeval.campaigns.models import Enrolment
from certeval.dossiers.models import Dossier, DossierFile


def dossier_of(enrolment: Enrolment) -> Dossier:
    dossier, _created = Dossier.objects.get_or_create(enrolment=enrolment)
    return dossier


def current_files(dossier: Dossier) -> list[DossierFile]:
    return list(dossier.files.current().select_related("uploaded_by"))


def past_versions(dossier: Dossier) -> QuerySet[DossierFile]:
    """Replaced and withdrawn files, kept for the record."""
    return dossier.files.exclude(superseded_at__isnull=True, withdrawn_at__isnull=True)


def files_for_reading(enrolment: Enrolment) -> list[DossierFile]:
    """The files a reader (juror, organiser) sees: the current files of the dossier."""
    return list(DossierFile.objects.filter(dossier__enrolment=enrolment).current())
