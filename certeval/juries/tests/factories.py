"""Factories and a ready-made jury campaign for the juries tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import factory
from django.utils import timezone

from certeval.accounts.models import User
from certeval.campaigns.models import Academy, Campaign, Enrolment
from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory, UserFactory
from certeval.frameworks.models import FrameworkVersion
from certeval.frameworks.services import DATA_DIR, framework_publish_file
from certeval.juries.models import Juror, JurorRole, Meeting, OralSlot
from certeval.juries.services.composition import jury_compose_campaign, jury_group_set_president
from certeval.juries.services.scoring import meeting_record
from certeval.testing.services import automated_result_record

HALFDAYS = ["2026-05-12-am", "2026-05-12-pm"]
# The dossiers of these campaigns were frozen three weeks before HALFDAYS: the campaign's reading
# delay (7 days by default) leaves the orals of HALFDAYS possible.
FROZEN_AT = datetime(2026, 4, 20, 22, 0, tzinfo=UTC)


def academy(code: str) -> Academy:
    found, _created = Academy.objects.get_or_create(code=code, defaults={"name": code.capitalize()})
    return found


class JurorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Juror

    campaign = factory.SubFactory(CampaignFactory)
    user = factory.SubFactory(UserFactory)
    role = JurorRole.EXPERT
    academy = factory.LazyFunction(lambda: academy("lyon"))
    halfdays = factory.LazyFunction(lambda: list(HALFDAYS))
    max_load = 12


def submitted_enrolment(campaign: Campaign, academy_code: str = "versailles") -> Enrolment:
    return EnrolmentFactory(
        campaign=campaign, academy=academy(academy_code), submitted=True, dossier__frozen_at=FROZEN_AT
    )


@dataclass
class JuryCampaign:
    campaign: Campaign
    organiser: User
    president: User
    jurors: list[Juror]
    enrolments: list[Enrolment]

    def slot(self, index: int = 0) -> OralSlot:
        return OralSlot.objects.select_related("jury__campaign").get(enrolment=self.enrolments[index])


def publish_crcn() -> None:
    """The CRCN référentiel, which Pix+ Édu's automated rule names."""
    if not FrameworkVersion.objects.filter(framework_id="crcn").exists():
        framework_publish_file(path=DATA_DIR / "crcn.yaml")


def published(framework_id: str) -> FrameworkVersion:
    """The newest published version of one of the référentiels shipped in certeval/data."""
    if not FrameworkVersion.objects.filter(framework_id=framework_id).exists():
        framework_publish_file(path=DATA_DIR / f"{framework_id}.yaml")
    return FrameworkVersion.objects.filter(framework_id=framework_id).order_by("-version_number").first()


def jury_campaign(
    candidates: int = 3, calibrated: bool = True, framework: str = "pix-plus-edu", automated: bool = True
) -> JuryCampaign:
    """A campaign (Pix+ Édu unless ``framework`` names another référentiel) with ``candidates``
    candidates from Versailles, three jurors from other academies (a DRANE member and two
    experts), composed into one jury, with a group president, a calibration meeting and, for
    Pix+ Édu (unless ``automated`` is false), automated results at « Confirmé »."""
    publish_crcn()
    campaign = CampaignFactory(state="juries", framework_version=published(framework))
    organiser = UserFactory(first_name="Olivia", last_name="Organisatrice")
    campaign.roles.create(user=organiser, role="organiser")
    jurors = [
        JurorFactory(
            campaign=campaign,
            role=JurorRole.DRANE,
            academy=academy("lyon"),
            user=UserFactory(first_name="Dora", last_name="Drane"),
        ),
        JurorFactory(
            campaign=campaign,
            role=JurorRole.EXPERT,
            academy=academy("nice"),
            user=UserFactory(first_name="Eric", last_name="Expert"),
        ),
        JurorFactory(
            campaign=campaign,
            role=JurorRole.EXPERT,
            academy=academy("lille"),
            user=UserFactory(first_name="Emma", last_name="Experte"),
        ),
    ]
    enrolments = [submitted_enrolment(campaign) for _ in range(candidates)]
    for enrolment in enrolments if framework == "pix-plus-edu" and automated else ():
        automated_result_record(
            enrolment=enrolment, level="confirme", obtained_on=date(2026, 3, 1), actor=organiser
        )
    result = jury_compose_campaign(campaign=campaign, actor=organiser, time_limit=10)
    assert result.ok, result.explanation
    president = UserFactory(first_name="Paul", last_name="Président")
    group = result.juries[0].group
    jury_group_set_president(group=group, president=president, actor=organiser)
    if calibrated:
        meeting_record(
            group=group,
            kind=Meeting.Kind.CALIBRATION,
            held_at=timezone.now(),
            attendees=[president, *(j.user for j in jurors)],
            minutes="Cadrage : lecture commune de la grille.",
            actor=president,
        )
    return JuryCampaign(campaign, organiser, president, jurors, enrolments)
