"""A campaign with a juror who volunteers for rehearsals and a candidate (juries tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, Enrolment
from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory, organiser_of
from certeval.juries.models import Juror
from certeval.juries.rehearsal_models import RehearsalSlot
from certeval.juries.rehearsal_services import rehearsal_slot_open
from certeval.juries.tests.factories import JurorFactory


@dataclass
class RehearsalWorld:
    campaign: Campaign
    organiser: User
    juror: Juror
    enrolment: Enrolment

    def slot(self, *, hours: int = 48, by: User | None = None) -> RehearsalSlot:
        return rehearsal_slot_open(
            campaign=self.campaign,
            by=by or self.juror.user,
            rehearser=self.juror.user,
            starts_at=timezone.now() + timedelta(hours=hours),
            visio_link="https://visio.example.fr/repetition",
        )


def rehearsal_world() -> RehearsalWorld:
    campaign = CampaignFactory()
    return RehearsalWorld(
        campaign=campaign,
        organiser=organiser_of(campaign),
        juror=JurorFactory(campaign=campaign),
        enrolment=EnrolmentFactory(campaign=campaign),
    )
