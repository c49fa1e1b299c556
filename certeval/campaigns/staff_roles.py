"""The campaigns' staff roles for the second factor (``certeval.accounts.staff``): organisers and
invigilators (``CampaignRole``), jurors and presidents of dossiers (``ReviewerAssignment``), members
of a certifying organisation (organisers and INSPÉ teachers), regroupement presidents. One query."""

from __future__ import annotations

from django.db.models import OuterRef

from certeval.accounts.models import User
from certeval.accounts.staff import holds_any
from certeval.campaigns.models import CampaignRole, OrganisationMember, Regroupement, ReviewerAssignment


def holds_campaign_staff_role(user: User) -> bool:
    person = OuterRef("pk")
    return holds_any(
        user,
        CampaignRole.objects.filter(user=person),
        ReviewerAssignment.objects.filter(user=person),
        OrganisationMember.objects.filter(user=person),
        Regroupement.objects.filter(president=person),
    )
