"""Who may see or do what in the teachers' evaluation of an INSPÉ's students (seed 002: « une
évaluation assurée par les enseignants pour la formation initiale »).

- The organisers who run a campaign (campaign-wide, or through its organisation) attach the
  organisation's teachers to its initial-training students.
- A teacher sees, evaluates and validates the decision of exactly the students attached to them.
"""

from __future__ import annotations

from django.db.models import QuerySet

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, Enrolment, OrganisationMember
from certeval.campaigns.permissions import campaigns_run


def campaigns_with_teachers(user: User) -> QuerySet[Campaign]:
    """Campaigns whose teacher attachments the user manages: those they run that belong to an
    organisation."""
    return campaigns_run(user).filter(organisation__isnull=False)


def teachers_of(campaign: Campaign) -> QuerySet[User]:
    """The teachers of the campaign's organisation (none for a campaign without organisation)."""
    if campaign.organisation_id is None:
        return User.objects.none()
    return User.objects.filter(
        organisation_memberships__organisation_id=campaign.organisation_id,
        organisation_memberships__role=OrganisationMember.Role.TEACHER,
    ).distinct()


def enrolments_taught(user: User) -> QuerySet[Enrolment]:
    """The students attached to the user as their teacher, while they are still a teacher of the
    campaign's organisation (a teacher withdrawn from it loses their students)."""
    if not user.is_authenticated:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(
        teacher_attachments__teacher=user,
        campaign__organisation__in=OrganisationMember.objects.filter(
            user=user, role=OrganisationMember.Role.TEACHER
        ).values("organisation"),
    ).distinct()


def teaches(user: User, enrolment: Enrolment) -> bool:
    return enrolments_taught(user).filter(pk=enrolment.pk).exists()
