"""Who may deposit a dossier and read its files (on the scope of certeval.campaigns.permissions):
the candidate, organisers within their academy scope, administrators, and the reviewers assigned
to the candidate once the dossier is frozen."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from certeval.accounts.models import User
from certeval.accounts.permissions import is_administrator
from certeval.campaigns.models import Enrolment
from certeval.campaigns.permissions import organised_enrolments
from certeval.dossiers.models import DossierFile, DossierState


def can_deposit(user: User, enrolment: Enrolment) -> bool:
    """Only the candidate deposits their own dossier (the deadline is checked by the services)."""
    return user.is_authenticated and enrolment.candidate.user_id == user.pk


def enrolments_with_readable_dossier(user: User) -> QuerySet[Enrolment]:
    """Enrolments whose dossier files the user may read: the candidate, organisers in scope,
    administrators, and assigned reviewers (jurors and presidents, once the dossier is frozen;
    issue 5 fills the assignments)."""
    if is_administrator(user):
        return Enrolment.objects.all()
    if not user.is_authenticated:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(
        Q(candidate__user=user)
        | organised_enrolments(user)
        | Q(reviewers__user=user, dossier__state=DossierState.SUBMITTED)
    ).distinct()


def can_read_dossier(user: User, enrolment: Enrolment) -> bool:
    return enrolments_with_readable_dossier(user).filter(pk=enrolment.pk).exists()


def dossier_files_visible(user: User) -> QuerySet[DossierFile]:
    return DossierFile.objects.filter(dossier__enrolment__in=enrolments_with_readable_dossier(user))
