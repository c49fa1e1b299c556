"""Demo of the title by blocs (seed 003, docs/certifications/titre.md): a candidate,
``candidat.blocs@demo.certeval.fr``, validates blocs 1 to 3 in a first session (spring) and
blocs 4 to 6 plus the final interview in a second session (autumn): the title is awarded from
their bloc record. Each session of the title is run as its own campaign (one enrolment, one oral
and one decision per campaign); the record crosses them. Both campaigns are published, so the
three then four bloc certificates and the title's certificate are in « Mes attestations ».

Everything goes through the services: enrolment with the blocs chosen, deposit of each
épreuve's written production, jury composition, the president's deliberation (the final
interview scored on its five points in the consensus grid), validation and publication.
Running it twice changes nothing.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.utils import timezone

from certeval.accounts.models import User
from certeval.campaigns.deadlines import paris_instant
from certeval.campaigns.demo import demo_identity
from certeval.campaigns.enrolments import EnrolmentData, enrolment_create
from certeval.campaigns.models import Academy, Campaign, CampaignState, Enrolment
from certeval.campaigns.services import campaign_create, campaign_transition, session_create
from certeval.campaigns.titre_selectors import titre_plan
from certeval.core.demo import DemoAccount
from certeval.dossiers.demo import dossier_pdf
from certeval.dossiers.services import dossier_file_upload, dossier_submit
from certeval.frameworks.models import FrameworkVersion
from certeval.juries.demo import _user, compose_titre_juries
from certeval.juries.models import OralSlot
from certeval.juries.services.deliberation import deliberation_save, deliberation_validate

FRAMEWORK = "titre-responsable-formation"
CANDIDATE = ("candidat.blocs@demo.certeval.fr", "Bérénice", "Blocs")
SPRING_TITLE = "Titre responsable de formation — session de printemps 2026 (blocs 1 à 3)"
AUTUMN_TITLE = "Titre responsable de formation — session d'automne 2026 (blocs 4 à 6 et entretien final)"
# What the candidate deposits, per épreuve (components[].deliverable of the YAML).
PRODUCTIONS = {
    "bloc-1": ("Mise en situation — montage et suivi d'une action", 6),
    "bloc-2": ("Mise en situation — management d'équipe", 5),
    "bloc-3-synthese": ("Synthèse de quatre pages — offre de formation", 4),
    "bloc-4-ecrit": ("Écrit professionnel — dispositif de formation", 12),
    "bloc-5": ("Mise en situation — appui à la direction", 5),
    "bloc-6": ("Mise en situation — réflexion pédagogique", 5),
}
INTERVIEW_POINTS = ("EF.1", "EF.2", "EF.3", "EF.4", "EF.5")


def populate(stdout: TextIO) -> list[DemoAccount]:
    version = FrameworkVersion.objects.filter(framework_id=FRAMEWORK).order_by("-version_number").first()
    organiser = User.objects.filter(email="organisateur@demo.certeval.fr").first()
    president = User.objects.filter(email="president@demo.certeval.fr").first()
    if version is None or organiser is None or president is None:
        return []
    me = _user(*CANDIDATE)
    today = timezone.localdate()
    for title, blocs, days_ago, final in (
        (SPRING_TITLE, ("1", "2", "3"), 200, False),
        (AUTUMN_TITLE, ("4", "5", "6"), 30, True),
    ):
        if not Campaign.objects.filter(title=title).exists():
            _session(version, title, me, blocs, today - timedelta(days=days_ago), final, organiser, president)
    stdout.write(
        f"Demo title by blocs: « {SPRING_TITLE} » and « {AUTUMN_TITLE} » (published); "
        f"the six blocs and the title held by {me.email}.\n"
    )
    return [DemoAccount("candidat (titre par blocs, deux sessions)", me.email)]


def notes() -> list[str]:
    return [
        f"Titre par blocs ({CANDIDATE[0]}) : « Mes certifications » › « Mes blocs de compétences » "
        "(blocs 1 à 3 validés au printemps, 4 à 6 et l'entretien final à l'automne, titre attribué) ; "
        "« Mes attestations » : un certificat par bloc et celui du titre."
    ]


def _session(
    version: FrameworkVersion,
    title: str,
    person: User,
    blocs: tuple[str, ...],
    oral_day: date,
    final: bool,
    organiser: User,
    president: User,
) -> None:
    """One session of the title, as a campaign: enrolled for ``blocs``, deposited, composed,
    decided and published."""
    deadline = paris_instant(oral_day - timedelta(days=15), time(23, 59, 59))
    campaign = campaign_create(
        by=organiser,
        title=title,
        framework_version=version,
        deposit_deadline=deadline,
        final_policy="joint",
        tie_rule="lower",
        oral_duration_minutes=45,
    )
    campaign_transition(campaign=campaign, to_state=CampaignState.OPEN, by=organiser, note="Ouverture")
    starts = paris_instant(oral_day, time(8, 0))
    session = session_create(
        campaign=campaign,
        by=organiser,
        label=f"Jury du {oral_day:%d/%m/%Y} — Lyon",
        starts_at=starts,
        ends_at=starts + timedelta(hours=10),
        mode="onsite",
        place="Lyon",
    )
    lyon = Academy.objects.get_or_create(code="lyon", defaults={"name": "Lyon"})[0]
    enrolment = enrolment_create(
        campaign=campaign,
        by=organiser,
        data=EnrolmentData(
            identity=demo_identity(
                birth_name=person.last_name,
                first_names=person.first_name,
                email=person.email,
                birth_date=date(1985, 9, 12),
            ),
            academy=lyon,
            school_level="second",
            training="continue",
            session=session,
            blocs=blocs,
        ),
    )
    _deposit(enrolment, person, blocs, deadline - timedelta(days=3))
    if not compose_titre_juries(campaign, organiser, president, oral_day, lyon):
        return
    slot = OralSlot.objects.get(enrolment=enrolment)
    on = oral_day.isoformat()
    deliberation_save(
        slot=slot,
        actor=president,
        consensus=dict.fromkeys(INTERVIEW_POINTS, "acquis") if final else {},
        item_comments={},
        oral_levels={},
        oral_comments={},
        verdicts={"blocks": {b: {"validated": True, "on": on} for b in blocs}},
        verdict_comments={
            "final_interview": "Vision d'ensemble du métier, activités articulées, pratiques analysées."
        }
        if final
        else {},
    )
    deliberation_validate(slot=slot, actor=president)
    campaign_transition(
        campaign=campaign, to_state=CampaignState.DELIBERATION, by=organiser, note="Délibération"
    )
    campaign_transition(
        campaign=campaign, to_state=CampaignState.PUBLISHED, by=organiser, note="Publication", confirmed=True
    )


def _deposit(enrolment: Enrolment, person: User, blocs: tuple[str, ...], when: datetime) -> None:
    """The written production of each épreuve of the blocs presented, then the submission."""
    plan = titre_plan(enrolment)
    assert plan is not None
    for epreuve in plan.epreuves:
        if epreuve.oral:
            continue
        heading, pages = PRODUCTIONS[epreuve.component.id]
        data = dossier_pdf(person.get_full_name(), pages, heading=heading)
        dossier_file_upload(
            enrolment=enrolment,
            by=person,
            fileobj=io.BytesIO(data),
            original_name=f"{epreuve.component.id}.pdf",
            size=len(data),
            kind="document",
            title=heading,
            component=epreuve.component.id,
            now=when,
        )
    dossier_submit(enrolment=enrolment, by=person, now=when + timedelta(minutes=5))
