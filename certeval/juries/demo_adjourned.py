"""Demo: a candidate adjourned in an earlier Pix+ Édu campaign whose automated result follows them.

« Pix+ Édu — campagne 2024-2025 (résultats publiés) » (policy: adjourn) heard two candidates:
Adrien Ajourné passed the automated part at « Avancé » but his practice was judged « Initié », so
he was adjourned, his automated result staying valid 3 years (seed 004 §6.3.1); Céline was
certified. Adrien then enrolled in the spring 2026 campaign without taking the automated test
again: his prerequisite is met by the result recorded in 2024-2025 (``certeval.testing``: the
result belongs to the person). Running it twice changes nothing.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import TextIO

from django.utils import timezone

from certeval.accounts.models import User
from certeval.campaigns.deadlines import paris_instant
from certeval.campaigns.demo import SPRING_TITLE
from certeval.campaigns.enrolments import EnrolmentData, enrolment_create
from certeval.campaigns.identities import Identity
from certeval.campaigns.models import Academy, Campaign, CampaignState, Enrolment
from certeval.campaigns.services import campaign_create, campaign_transition
from certeval.core.demo import DEMO_PASSWORD, DemoAccount
from certeval.dossiers.demo import deposit
from certeval.frameworks.models import FrameworkVersion
from certeval.frameworks.selectors import framework_of
from certeval.juries import selectors
from certeval.juries.models import JurorRole, OralSlot
from certeval.juries.services.composition import jury_compose_campaign, jury_group_set_president
from certeval.juries.services.deliberation import deliberation_save, deliberation_validate
from certeval.juries.services.pool import juror_add
from certeval.testing.services import automated_result_record

EARLIER_TITLE = "Pix+ Édu — campagne 2024-2025 (résultats publiés)"
ADJOURNED = ("adrien.ajourne@demo.certeval.fr", "Adrien", "Ajourné")
CERTIFIED = ("celine.certifiee@demo.certeval.fr", "Céline", "Certifiée")
EARLIER_POOL = [
    ("drane.nice@demo.certeval.fr", "Denis", "Rivière", JurorRole.DRANE, "nice"),
    ("expert.lille@demo.certeval.fr", "Étienne", "Marchand", JurorRole.EXPERT, "lille"),
    ("expert.rennes@demo.certeval.fr", "Agathe", "Lucas", JurorRole.EXPERT, "rennes"),
]


def _user(email: str, first: str, last: str) -> User:
    return User.objects.filter(email=email).first() or User.objects.create_user(
        email, DEMO_PASSWORD, first_name=first, last_name=last
    )


def _academy(code: str) -> Academy:
    return Academy.objects.get_or_create(code=code, defaults={"name": code.title()})[0]


def _enrol(campaign: Campaign, person: User, academy: Academy, index: int) -> Enrolment:
    return enrolment_create(
        campaign=campaign,
        by=User.objects.get(email="organisateur@demo.certeval.fr"),
        data=EnrolmentData(
            identity=Identity(
                birth_name=person.last_name,
                first_names=person.first_name,
                email=person.email,
                birth_date=date(1986, 9, 10 + index),
            ),
            academy=academy,
            school_level="premier",
            training="continue",
            target_level="avance",
        ),
    )


def populate(stdout: TextIO) -> list[DemoAccount]:
    account = DemoAccount("candidat ajourné 2024-2025", ADJOURNED[0])
    spring = Campaign.objects.filter(title=SPRING_TITLE).first()
    if Campaign.objects.filter(title=EARLIER_TITLE).exists():
        return [account]
    version = FrameworkVersion.objects.filter(framework_id="pix-plus-edu").order_by("-version_number").first()
    if version is None or spring is None or spring.state != CampaignState.OPEN:
        return []
    organiser = User.objects.get(email="organisateur@demo.certeval.fr")
    president = User.objects.get(email="president@demo.certeval.fr")
    today = timezone.localdate()
    oral_day = today - timedelta(days=560)  # spring 2025
    deadline = paris_instant(oral_day - timedelta(days=30), time(23, 59, 59))
    campaign = campaign_create(
        by=organiser,
        title=EARLIER_TITLE,
        framework_version=version,
        deposit_deadline=deadline,
        final_policy="adjourn",
        tie_rule="lower",
        oral_duration_minutes=45,
    )
    campaign_transition(campaign=campaign, to_state=CampaignState.OPEN, by=organiser, note="Ouverture")
    versailles = _academy("versailles")
    people = [_user(*ADJOURNED), _user(*CERTIFIED)]
    for index, person in enumerate(people):
        enrolment = _enrol(campaign, person, versailles, index)
        # The automated test, taken before the deposit deadline: « Avancé » for both.
        automated_result_record(
            enrolment=enrolment, level="avance", obtained_on=oral_day - timedelta(days=45), actor=organiser
        )
        deposit(
            enrolment,
            person,
            pages=4,
            when=deadline - timedelta(days=3 + index),
            heading="Dossier — Certification Pix+ Édu",
        )
    campaign_transition(
        campaign=campaign, to_state=CampaignState.DEPOSIT_CLOSED, by=organiser, note="Échéance"
    )
    campaign_transition(campaign=campaign, to_state=CampaignState.JURIES, by=organiser, note="Jurys")
    add_pool(campaign, [f"{oral_day:%Y-%m-%d}-am"], max_load=6, organiser=organiser)
    result = jury_compose_campaign(campaign=campaign, actor=organiser, time_limit=10)
    if not result.ok:
        stdout.write(f"Demo adjourned candidate: no composition ({result.solution.status}).")
        return []
    for jury in result.juries:
        jury_group_set_president(group=jury.group, president=president, actor=organiser)
    emails = dict(
        OralSlot.objects.filter(jury__campaign=campaign).values_list(
            "enrolment_id", "enrolment__candidate__email"
        )
    )
    decide_all(
        campaign,
        president,
        {enrolment: "initie" if email == ADJOURNED[0] else "avance" for enrolment, email in emails.items()},
    )
    campaign_transition(
        campaign=campaign, to_state=CampaignState.DELIBERATION, by=organiser, note="Délibération"
    )
    campaign_transition(
        campaign=campaign, to_state=CampaignState.PUBLISHED, by=organiser, note="Publication", confirmed=True
    )
    # A year later, the adjourned candidate enrols again; his automated result (« Avancé », valid
    # 3 years) is not typed again: it is his, recorded in 2024-2025.
    _enrol(spring, people[0], versailles, 0)
    stdout.write(
        f"Demo adjourned candidate: {ADJOURNED[1]} {ADJOURNED[2]}, adjourned in « {EARLIER_TITLE} », "
        f"enrolled in « {SPRING_TITLE} » with the automated result obtained then."
    )
    return [account]


def add_pool(campaign: Campaign, halfdays: list[str], *, max_load: int, organiser: User) -> None:
    """The three jurors of ``EARLIER_POOL`` (Nice, Lille, Rennes), available on ``halfdays``."""
    for email, first, last, role, code in EARLIER_POOL:
        juror_add(
            campaign=campaign,
            user=_user(email, first, last),
            role=role,
            academy=_academy(code),
            halfdays=halfdays,
            max_load=max_load,
            actor=organiser,
        )


def decide_all(campaign: Campaign, president: User, levels: dict[int, str | None]) -> None:
    """Validate a decision for each composed candidate (enrolment id → level of the whole grid and
    score sheet; None: left undecided), with a comment on the first domain."""
    framework, rules = framework_of(campaign.framework_version)
    criteria = [
        c.id
        for phase in selectors.dossier_grid(framework, rules).phases
        for item in phase.items
        for c in item.criteria
    ]
    domains = list(selectors.oral_sheet(framework, rules).domains)  # type: ignore[union-attr]
    for slot in OralSlot.objects.filter(jury__campaign=campaign):
        level = levels.get(slot.enrolment_id)
        if level is None:
            continue
        deliberation_save(
            slot=slot,
            actor=president,
            consensus=dict.fromkeys(criteria, level),
            item_comments={},
            oral_levels=dict.fromkeys(domains, level),
            oral_comments={
                "1": "Pratique encore ponctuelle." if level == "initie" else "Pratique réflexive."
            },
        )
        deliberation_validate(slot=slot, actor=president)
