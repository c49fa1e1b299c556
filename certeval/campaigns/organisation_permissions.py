"""Who may see or change the certifying organisations (seed 002: INSPÉ, rectorats, public operators).

- Administrators create organisations and manage every one of them.
- An organiser of an organisation manages its members and attaches to it the campaigns they run.
- Teachers of an organisation see nothing here (their students: certeval.juries.teacher_permissions).
"""

from __future__ import annotations

from django.db.models import QuerySet

from certeval.accounts.models import User
from certeval.accounts.permissions import is_administrator
from certeval.campaigns.models import Organisation, OrganisationMember


def organisations_managed(user: User) -> QuerySet[Organisation]:
    if is_administrator(user):
        return Organisation.objects.all()
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        members__user=user, members__role=OrganisationMember.Role.ORGANISER
    ).distinct()


def can_manage_organisation(user: User, organisation: Organisation) -> bool:
    return organisations_managed(user).filter(pk=organisation.pk).exists()


def can_create_organisation(user: User) -> bool:
    return is_administrator(user)
