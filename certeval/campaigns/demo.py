"""Demo data: two Pix+ Édu campaigns, about forty candidates across three academies, one account per role.

The 2025-2026 campaign has passed its deposit deadline: most candidates deposited a generated PDF
dossier in time (frozen), one did not ("dossier non déposé (éliminatoire)"). The spring campaign
is open, so the demo candidate can walk through the deposit; their automated result is recorded
(valid), another candidate's has expired (flagged). The Facilitateur campaign refuses the deposit
until the trainer-experience prerequisite is met: the demo candidate has not declared it yet, its
deadline is five days away and the J-7 reminders have gone out. A juror was granted a role by
e-mail on the spring campaign. Running it twice changes nothing.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date, time, timedelta
from typing import TextIO

from django.utils import timezone

from certeval.accounts.models import User
from certeval.accounts.roles import Role
from certeval.campaigns import enrolments, services
from certeval.campaigns.deadlines import paris_instant
from certeval.campaigns.identities import Identity
from certeval.campaigns.models import Academy, Campaign, CampaignState, Candidate, PrerequisitePolicy, Session
from certeval.core.demo import DEMO_PASSWORD, DemoAccount
from certeval.dossiers.demo import deposit
from certeval.frameworks.models import FrameworkVersion

ACADEMIES = [("versailles", "Versailles"), ("creteil", "Créteil"), ("lyon", "Lyon")]
FIRST_NAMES = [
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Sarah",
    "Julie",
    "Emma",
    "Clara",
    "Lucie",
    "Thomas",
    "Nicolas",
    "Julien",
    "Maxime",
    "Antoine",
    "Hugo",
    "Louis",
    "Karim",
    "Yanis",
    "Mathieu",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "Andre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guerin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
]
MAIN_TITLE = "Pix+ Édu — campagne 2025-2026"
SPRING_TITLE = "Pix+ Édu — session de printemps 2026"
FACILITATEUR_TITLE = "Facilitateur d'apprentissage — promotion 2026"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def demo_identity(
    *, email: str, birth_name: str, first_names: str, birth_date: date, birth_place: str = ""
) -> Identity:
    """The identity to enrol a demo person with: the one already stored when they are a candidate
    (the organisers of the demo know their own candidates; a different identity would be refused)."""
    known = Candidate.objects.filter(email=email).first()
    if known is not None:
        return Identity(
            birth_name=known.birth_name,
            usual_name=known.usual_name,
            first_names=known.first_names,
            birth_date=known.birth_date,
            birth_place=known.birth_place,
            email=email,
        )
    return Identity(
        birth_name=birth_name,
        first_names=first_names,
        birth_date=birth_date,
        birth_place=birth_place,
        email=email,
    )


def _user(email: str, first: str, last: str) -> User:
    user = User.objects.filter(email=email).first()
    return user or User.objects.create_user(email, DEMO_PASSWORD, first_name=first, last_name=last)


def populate(stdout: TextIO) -> list[DemoAccount]:
    version = FrameworkVersion.objects.filter(framework_id="pix-plus-edu").order_by("-version_number").first()
    accounts = [
        DemoAccount("organisateur", "organisateur@demo.certeval.fr"),
        DemoAccount("juré", "jure@demo.certeval.fr"),
        DemoAccount("président de jury", "president@demo.certeval.fr"),
        DemoAccount("organisateur (académie de Lyon)", "organisateur.lyon@demo.certeval.fr"),
        DemoAccount("surveillant", "surveillant@demo.certeval.fr"),
        DemoAccount("candidat", "candidat@demo.certeval.fr"),
    ]
    if version is None:
        stdout.write("Pix+ Édu is not loaded: no demo campaign.")
        return []
    if Campaign.objects.filter(title=MAIN_TITLE).exists():
        return accounts
    academies = [Academy.objects.get_or_create(code=c, defaults={"name": n})[0] for c, n in ACADEMIES]
    organiser = _user("organisateur@demo.certeval.fr", "Olivier", "Organisateur")
    juror = _user("jure@demo.certeval.fr", "Judith", "Jurée")
    president = _user("president@demo.certeval.fr", "Paul", "Président")
    invigilator = _user("surveillant@demo.certeval.fr", "Sophie", "Surveillante")
    me = _user("candidat@demo.certeval.fr", "Camille", "Candidate")
    today = timezone.localdate()
    deadline = paris_instant(today - timedelta(days=7), time(23, 59, 59))
    campaign = services.campaign_create(
        by=organiser,
        title=MAIN_TITLE,
        framework_version=version,
        deposit_deadline=deadline,
        final_policy="adjourn",
        tie_rule="lower",
        oral_duration_minutes=45,
    )
    services.campaign_transition(
        campaign=campaign, to_state=CampaignState.OPEN, by=organiser, note="Ouverture"
    )
    sessions = [
        services.session_create(
            campaign=campaign,
            by=organiser,
            label=label,
            mode=mode,
            place=place,
            capacity=25,
            starts_at=paris_instant(today - timedelta(days=days), time(9)),
            ends_at=paris_instant(today - timedelta(days=days), time(11, 30)),
        )
        # Sessions are the proctored automated test (2 h 30), taken before the dossier deadline.
        for label, days, mode, place in [
            (
                "Volet automatisé — session 1 (à distance)",
                45,
                Session.Mode.REMOTE,
                "https://visio.education.fr/pix-plus-edu-session-1",
            ),
            ("Volet automatisé — session 2 (Lyon)", 38, Session.Mode.ONSITE, "INSPÉ de Lyon, salle 204"),
        ]
    ]
    services.campaign_role_grant(
        campaign=campaign, user=invigilator, role=Role.INVIGILATOR, by=organiser, session=sessions[0]
    )
    lyon = next(a for a in academies if a.code == "lyon")
    services.campaign_role_grant(
        campaign=campaign,
        user=_user("organisateur.lyon@demo.certeval.fr", "Léon", "Lyonnais"),
        role=Role.ORGANISER,
        by=organiser,
        academy=lyon,
    )
    rng = random.Random(2026)
    people = [(me.email, "Candidate", "Camille")] + [
        (f"{_ascii(first)}.{_ascii(last)}@demo.certeval.fr", last, first)
        for first, last in zip(rng.sample(FIRST_NAMES * 2, 39), rng.sample(LAST_NAMES, 39), strict=True)
    ]
    for index, (email, last, first) in enumerate(people):
        enrolment = enrolments.enrolment_create(
            campaign=campaign,
            by=organiser,
            data=enrolments.EnrolmentData(
                identity=Identity(
                    birth_name=last,
                    first_names=first,
                    email=email,
                    birth_place="Paris",
                    birth_date=date(1975 + index % 25, 1 + index % 12, 1 + index % 27),
                ),
                academy=academies[index % 3],
                school_level="premier" if index % 2 else "second",
                training="continue" if index % 4 else "initiale",
                target_level=["confirme", "avance", "expert"][index % 3],
                extra_time_percent=33 if index % 13 == 5 else 0,
                session=sessions[index % 2],
            ),
        )
        if index == len(people) - 1:
            continue  # the late one: nothing deposited
        user = User.objects.get(email=email)
        deposit(
            enrolment,
            user,
            pages=3 + index % 6,
            when=deadline - timedelta(days=10 - index % 9),
            file_name="dossier-pix-plus-edu.pdf",
        )
        if index in (1, 2, 3):
            services.reviewer_assign(enrolment=enrolment, user=juror, role=Role.JUROR, by=organiser)
            services.reviewer_assign(enrolment=enrolment, user=president, role=Role.PRESIDENT, by=organiser)
    services.campaign_transition(
        campaign=campaign, to_state=CampaignState.DEPOSIT_CLOSED, by=organiser, note="Échéance passée"
    )
    spring = services.campaign_create(
        by=organiser,
        title=SPRING_TITLE,
        framework_version=version,
        deposit_deadline=paris_instant(today + timedelta(days=30), time(23, 59, 59)),
        final_policy="joint",
        tie_rule="lower",
        oral_duration_minutes=45,
    )
    services.campaign_transition(campaign=spring, to_state=CampaignState.OPEN, by=organiser, note="Ouverture")
    services.campaign_role_grant_by_email(campaign=spring, email=juror.email, role=Role.JUROR, by=organiser)
    for email, last, first, obtained_on in [
        (me.email, "Candidate", "Camille", today - timedelta(days=200)),
        ("hugo.perime@demo.certeval.fr", "Périmé", "Hugo", today - timedelta(days=3 * 365 + 30)),
    ]:
        enrolments.enrolment_create(
            campaign=spring,
            by=organiser,
            data=enrolments.EnrolmentData(
                identity=demo_identity(
                    birth_name=last, first_names=first, email=email, birth_date=date(1975, 1, 1)
                ),
                academy=academies[0],
                school_level="second",
                training="continue",
                target_level="avance",
                automated_level="avance",
                automated_obtained_on=obtained_on,
            ),
        )
    titles = [MAIN_TITLE, SPRING_TITLE]
    facilitateur = _facilitateur_campaign(organiser, me, academies[2], today)
    if facilitateur is not None:
        titles.append(facilitateur.title)
    stdout.write("Demo campaigns: " + ", ".join(f"« {t} »" for t in titles) + ".")
    return accounts


def _facilitateur_campaign(organiser: User, me: User, academy: Academy, today: date) -> Campaign | None:
    """A Facilitateur campaign whose deposit waits for the trainer-experience prerequisite."""
    version = (
        FrameworkVersion.objects.filter(framework_id="facilitateur-apprentissage")
        .order_by("-version_number")
        .first()
    )
    if version is None:
        return None
    campaign = services.campaign_create(
        by=organiser,
        title=FACILITATEUR_TITLE,
        framework_version=version,
        deposit_deadline=paris_instant(today + timedelta(days=5), time(23, 59, 59)),
        final_policy="joint",
        tie_rule="lower",
        oral_duration_minutes=45,
        prerequisite_policy=PrerequisitePolicy.REFUSE_DEPOSIT,
    )
    services.campaign_transition(
        campaign=campaign, to_state=CampaignState.OPEN, by=organiser, note="Ouverture"
    )
    for email, last, first, experience in [
        (me.email, "Candidate", "Camille", ""),
        (
            "nadia.formatrice@demo.certeval.fr",
            "Formatrice",
            "Nadia",
            "Six ans de formation d'adultes en insertion.",
        ),
        ("marc.novice@demo.certeval.fr", "Novice", "Marc", ""),
    ]:
        enrolments.enrolment_create(
            campaign=campaign,
            by=organiser,
            data=enrolments.EnrolmentData(
                identity=demo_identity(
                    birth_name=last, first_names=first, email=email, birth_date=date(1980, 6, 1)
                ),
                academy=academy,
                school_level="second",
                training="continue",
                trainer_experience_years=6 if experience else None,
                trainer_experience=experience,
                trainer_experience_declared=bool(experience),
                learner_accompaniment="accompanied" if experience else "",
            ),
        )
    services.deadline_reminders_due(days=7)
    return campaign
