"""Reads of dossiers (the caller has already checked permissions). Reads never write: a dossier
is created by the first write of its deposit (``services``), so an enrolment may have none yet."""

from __future__ import annotations

from django.db.models import QuerySet

from certeval.campaigns.models import Enrolment
from certeval.dossiers.models import Dossier, DossierFile


def dossier_of(enrolment: Enrolment) -> Dossier | None:
    """The enrolment's dossier, or None while nothing was ever deposited."""
    return Dossier.objects.filter(enrolment=enrolment).first()


def dossier_for_display(enrolment: Enrolment) -> Dossier:
    """The enrolment's dossier, or an unsaved draft standing for it (never saved here)."""
    return dossier_of(enrolment) or Dossier(enrolment=enrolment)


def current_files(dossier: Dossier | None) -> list[DossierFile]:
    if dossier is None or dossier.pk is None:
        return []
    return list(dossier.files.current().select_related("uploaded_by"))


def past_versions(dossier: Dossier | None) -> QuerySet[DossierFile]:
    """Replaced and withdrawn files, kept for the record."""
    if dossier is None or dossier.pk is None:
        return DossierFile.objects.none()
    return dossier.files.exclude(superseded_at__isnull=True, withdrawn_at__isnull=True)


def files_for_reading(enrolment: Enrolment) -> list[DossierFile]:
    """The files a reader (juror, organiser) sees: the current files of the dossier."""
    return list(DossierFile.objects.filter(dossier__enrolment=enrolment).current())
