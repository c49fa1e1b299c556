"""The regroupements inter-académiques demo: the main Pix+ Édu campaign gets « Regroupement
Sud-Est » (Grenoble, Lyon, Nice; presided by president@) and « Regroupement Nord-Ouest » (Lille,
Normandie, Rennes; presided by presidente.nord-ouest@), each with its calibration meeting, through
the services. The campaign's juries were composed before, on the whole campaign; a new composition
(on a campaign whose scoring has not begun) runs per regroupement. Idempotent."""

from __future__ import annotations

from datetime import timedelta
from typing import TextIO

from django.urls import reverse
from django.utils import timezone

from certeval.accounts.models import User
from certeval.campaigns.demo import MAIN_TITLE
from certeval.campaigns.models import Academy, Campaign, Regroupement
from certeval.campaigns.regroup_services import regroupement_save
from certeval.core.demo import DEMO_PASSWORD, DemoAccount
from certeval.juries.models import Meeting
from certeval.juries.regroup_selectors import regroupement_people
from certeval.juries.services.scoring import meeting_record

NORD_OUEST_PRESIDENT = "presidente.nord-ouest@demo.certeval.fr"
REGROUPEMENTS = [
    ("Regroupement Sud-Est", ("grenoble", "lyon", "nice"), "president@demo.certeval.fr"),
    ("Regroupement Nord-Ouest", ("lille", "normandie", "rennes"), NORD_OUEST_PRESIDENT),
]
MINUTES = (
    "Présentation des critères d'attribution (Annexe 3) et du bordereau (Annexe 4) à tous les jurys "
    "du regroupement ; lecture commune d'un dossier témoin."
)


def _campaign() -> Campaign | None:
    return Campaign.objects.filter(title=MAIN_TITLE).first()


def populate(stdout: TextIO) -> list[DemoAccount]:
    campaign = _campaign()
    organiser = User.objects.filter(email="organisateur@demo.certeval.fr").first()
    if campaign is None or organiser is None:
        return []
    account = [DemoAccount("présidente du regroupement Nord-Ouest", NORD_OUEST_PRESIDENT)]
    if campaign.regroupements.exists():
        return account
    if not User.objects.filter(email=NORD_OUEST_PRESIDENT).exists():
        User.objects.create_user(
            NORD_OUEST_PRESIDENT, DEMO_PASSWORD, first_name="Nadia", last_name="Présidente"
        )
    for name, codes, email in REGROUPEMENTS:
        president = User.objects.get(email=email)
        regroupement = regroupement_save(
            campaign=campaign,
            by=organiser,
            name=name,
            academies=list(Academy.objects.filter(code__in=codes)),
            president=president,
        )
        meeting_record(
            group=None,
            regroupement=regroupement,
            kind=Meeting.Kind.CALIBRATION,
            held_at=timezone.now() - timedelta(days=4),
            attendees=list(regroupement_people(regroupement)),
            minutes=MINUTES,
            actor=president,
        )
    stdout.write(f"Regroupements inter-académiques: {', '.join(n for n, _c, _e in REGROUPEMENTS)}\n")
    return account


def notes() -> list[str]:
    campaign = _campaign()
    if campaign is None:
        return []
    lines = [
        f"Regroupements inter-académiques de « {campaign.title} » : "
        f"{reverse('campaigns:regroupements', args=[campaign.pk])} (organisateur@ ; une présidente ou un "
        "président n'y voit que son regroupement)"
    ]
    for regroupement in Regroupement.objects.filter(campaign=campaign).select_related("president"):
        who = regroupement.president.email if regroupement.president else "—"
        lines.append(
            f"{regroupement.name} : {reverse('juries:regroupement', args=[regroupement.pk])} ({who})"
        )
    return lines
