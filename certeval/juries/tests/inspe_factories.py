"""A ready-made INSPÉ world for the teachers' evaluation tests (seed 002)."""

from __future__ import annotations

from dataclasses import dataclass

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, Enrolment, Organisation, OrganisationMember
from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory, UserFactory
from certeval.juries.teacher_services import teacher_attach
from certeval.juries.tests.factories import academy, publish_crcn, published


@dataclass
class InspeWorld:
    organisation: Organisation
    campaign: Campaign
    organiser: User  # an organiser of the organisation (no campaign role)
    teacher: User  # attached to the student
    other_teacher: User  # a teacher of the organisation, not attached
    student: Enrolment  # initial training, mention 1
    continuing: Enrolment  # continuing training: a jury, not the teachers


def inspe_world(name: str = "INSPÉ de l'académie d'Amiens", attach: bool = True) -> InspeWorld:
    publish_crcn()
    organisation = Organisation.objects.create(kind="inspe", name=name, academy=academy("amiens"))
    organiser = UserFactory(first_name="Irène", last_name="Organisatrice")
    teacher = UserFactory(first_name="Théo", last_name="Enseignant")
    other_teacher = UserFactory(first_name="Tina", last_name="Enseignante")
    OrganisationMember.objects.create(organisation=organisation, user=organiser, role="organiser")
    for user in (teacher, other_teacher):
        OrganisationMember.objects.create(organisation=organisation, user=user, role="teacher")
    campaign = CampaignFactory(
        title=f"Certification numérique — {name}",
        framework_version=published("inspe-crcn-edu"),
        organisation=organisation,
        final_policy="joint",
    )
    student = EnrolmentFactory(campaign=campaign, academy=academy("amiens"), training="initiale", mention=1)
    continuing = EnrolmentFactory(
        campaign=campaign, academy=academy("amiens"), training="continue", submitted=True
    )
    if attach:
        teacher_attach(actor=organiser, enrolment=student, teacher=teacher)
    return InspeWorld(organisation, campaign, organiser, teacher, other_teacher, student, continuing)
