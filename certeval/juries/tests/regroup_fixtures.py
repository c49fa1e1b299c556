"""A Pix+ Édu campaign with two regroupements inter-académiques, each with its president, its
candidates and its jurors, composed (one jury per regroupement)."""

from __future__ import annotations

from dataclasses import dataclass

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, Enrolment, Regroupement
from certeval.campaigns.regroup_services import regroupement_save
from certeval.campaigns.tests.factories import CampaignFactory, UserFactory
from certeval.juries.models import Juror, JurorRole, Jury
from certeval.juries.services.composition import jury_compose_campaign
from certeval.juries.tests.factories import (
    JurorFactory,
    academy,
    publish_crcn,
    published,
    submitted_enrolment,
)

# Regroupement « Sud-Est »: candidates from Versailles heard by jurors of Lyon and Nice;
# « Nord-Ouest »: candidates from Créteil heard by jurors of Lille and Nantes.
SUD_EST = ("versailles", "lyon", "nice")
NORD_OUEST = ("creteil", "lille", "nantes")


@dataclass
class RegroupCampaign:
    campaign: Campaign
    organiser: User
    sud_est: Regroupement
    nord_ouest: Regroupement
    president_se: User
    president_no: User
    jurors: dict[str, list[Juror]]
    enrolments: dict[str, list[Enrolment]]

    def jury_of(self, name: str) -> Jury:
        regroupement = self.sud_est if name == "se" else self.nord_ouest
        return Jury.objects.get(group__regroupement=regroupement)


def _jurors(campaign: Campaign, drane: str, experts: tuple[str, str], prefix: str) -> list[Juror]:
    return [
        JurorFactory(
            campaign=campaign,
            role=JurorRole.DRANE,
            academy=academy(drane),
            user=UserFactory(first_name="Dora", last_name=f"Drane {prefix}"),
        ),
        *(
            JurorFactory(
                campaign=campaign,
                role=JurorRole.EXPERT,
                academy=academy(code),
                user=UserFactory(first_name="Eve", last_name=f"Experte {prefix} {n}"),
            )
            for n, code in enumerate(experts, start=1)
        ),
    ]


def regroup_campaign(compose: bool = True) -> RegroupCampaign:
    publish_crcn()
    campaign = CampaignFactory(state="juries", framework_version=published("pix-plus-edu"))
    organiser = UserFactory(first_name="Olivia", last_name="Organisatrice")
    campaign.roles.create(user=organiser, role="organiser")
    president_se = UserFactory(first_name="Paul", last_name="Président Sud-Est")
    president_no = UserFactory(first_name="Pauline", last_name="Présidente Nord-Ouest")
    sud_est = regroupement_save(
        campaign=campaign,
        by=organiser,
        name="Regroupement Sud-Est",
        academies=[academy(code) for code in SUD_EST],
        president=president_se,
    )
    nord_ouest = regroupement_save(
        campaign=campaign,
        by=organiser,
        name="Regroupement Nord-Ouest",
        academies=[academy(code) for code in NORD_OUEST],
        president=president_no,
    )
    jurors = {
        "se": _jurors(campaign, "lyon", ("nice", "lyon"), "SE"),
        "no": _jurors(campaign, "lille", ("nantes", "lille"), "NO"),
    }
    enrolments = {
        "se": [submitted_enrolment(campaign, "versailles") for _ in range(2)],
        "no": [submitted_enrolment(campaign, "creteil") for _ in range(2)],
    }
    if compose:
        result = jury_compose_campaign(campaign=campaign, actor=organiser, time_limit=10)
        assert result.ok, result.explanation
    return RegroupCampaign(
        campaign, organiser, sud_est, nord_ouest, president_se, president_no, jurors, enrolments
    )
