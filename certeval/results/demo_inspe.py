"""Demo of the INSPÉ digital certification (seed 002), each evaluation by the path its document
describes.

- « INSPÉ de l'académie d'Amiens » (organisation) runs « Certification numérique INSPÉ — master MEEF
  2025-2026 »: the student Jeanne Lefebvre (mention 1) deposits the traces of her activity, her
  teacher evaluates the activity phase by phase and validates the decision — teachers' grid Expert,
  Pix+ Édu Avancé: certified Avancé, the level both evaluations recognise — and the results are
  published (attestation).
- « Rectorat de l'académie d'Amiens » runs « Certification numérique — personnels de l'académie
  d'Amiens 2025-2026 »: a teacher in continuing training is heard by a composed jury.

Running it twice changes nothing.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from certeval.accounts.models import User
from certeval.campaigns.deadlines import paris_instant
from certeval.campaigns.enrolments import EnrolmentData, enrolment_create
from certeval.campaigns.identities import Identity
from certeval.campaigns.models import Campaign, CampaignState, Enrolment, Organisation, OrganisationMember
from certeval.campaigns.services import campaign_create, campaign_transition
from certeval.core.demo import DemoAccount
from certeval.dossiers.demo import deposit
from certeval.frameworks.models import FrameworkVersion
from certeval.frameworks.selectors import framework_of
from certeval.juries import selectors
from certeval.juries.demo_adjourned import _academy, _user, add_pool
from certeval.juries.models import OralSlot
from certeval.juries.services.composition import jury_compose_campaign, jury_group_set_president
from certeval.juries.services.deliberation import deliberation_save, deliberation_validate
from certeval.juries.teacher_services import (
    teacher_attach,
    teacher_evaluation_save,
    teacher_evaluation_validate,
)
from certeval.testing.services import automated_result_record

INSPE_NAME = "INSPÉ de l'académie d'Amiens"
RECTORAT_NAME = "Rectorat de l'académie d'Amiens"
TITLE = "Certification numérique INSPÉ — master MEEF 2025-2026"
STAFF_TITLE = "Certification numérique — personnels de l'académie d'Amiens 2025-2026"
ORGANISER = ("organisateur.inspe@demo.certeval.fr", "Benoît", "Delattre")
TEACHER = ("enseignant.inspe@demo.certeval.fr", "Julien", "Carpentier")
STUDENT = ("etudiante.inspe@demo.certeval.fr", "Jeanne", "Lefebvre")
CONTINUING = ("enseignante.continue@demo.certeval.fr", "Claire", "Vasseur")
RECTORAT_ORGANISER = ("organisateur.rectorat@demo.certeval.fr", "Marc", "Dufour")
ACTIVITY = "Séance de géométrie au CM1 : construire des figures avec un logiciel de géométrie dynamique"
ACTIVITY_TEXT = (
    "Classe de CM1 (24 élèves) en stage filé ; tablettes de l'école, application de géométrie "
    "dynamique, capsule vidéo pour les élèves absents, carte mentale collaborative en retour réflexif."
)
COMMENTS = {
    "1": "Le numérique répond à un vrai besoin : visualiser les propriétés des figures.",
    "3": "Les compétences numériques prérequises sont identifiées ; un élève à besoins particuliers est pris en compte.",
    "4": "Matériel préparé et testé ; régulation pertinente quand deux tablettes ont manqué.",
    "7": "Analyse lucide de l'écart entre le prévu et le réalisé, pistes d'amélioration argumentées.",
}


def _member(organisation: Organisation, person: User, role: str) -> None:
    OrganisationMember.objects.get_or_create(organisation=organisation, user=person, role=role)


def _enrol(campaign: Campaign, person: User, by: User, *, training: str, mention: int | None) -> Enrolment:
    return enrolment_create(
        campaign=campaign,
        by=by,
        data=EnrolmentData(
            identity=Identity(
                birth_name=person.last_name,
                first_names=person.first_name,
                email=person.email,
                birth_date=date(2001, 3, 14) if mention else date(1984, 11, 2),
            ),
            academy=_academy("amiens"),
            school_level="premier",
            training=training,
            mention=mention,
        ),
    )


def _campaign(title: str, version: FrameworkVersion, organisation: Organisation, organiser: User) -> Campaign:
    deadline = paris_instant(timezone.localdate() - timedelta(days=20), time(23, 59, 59))
    campaign = campaign_create(
        by=None,
        title=title,
        framework_version=version,
        deposit_deadline=deadline,
        final_policy="joint",
        tie_rule="lower",
        oral_duration_minutes=45,
        organisation=organisation,
    )
    campaign_transition(campaign=campaign, to_state=CampaignState.OPEN, by=organiser, note="Ouverture")
    return campaign


def _inspe(version: FrameworkVersion, stdout: TextIO) -> None:
    organisation, _created = Organisation.objects.get_or_create(
        name=INSPE_NAME, defaults={"kind": "inspe", "academy": _academy("amiens")}
    )
    organiser, teacher, student = (_user(*p) for p in (ORGANISER, TEACHER, STUDENT))
    _member(organisation, organiser, "organiser")
    _member(organisation, teacher, "teacher")
    campaign = _campaign(TITLE, version, organisation, organiser)
    enrolment = _enrol(campaign, student, organiser, training="initiale", mention=1)
    deadline = campaign.deposit_deadline
    deposit(
        enrolment,
        student,
        pages=3,
        when=deadline - timedelta(days=3),
        heading="Traces de l'activité — séance de géométrie dynamique",
        file_name="traces-activite.pdf",
        title="Traces de l'activité",
    )
    automated_result_record(
        enrolment=enrolment, level="avance", obtained_on=deadline.date() - timedelta(days=30), actor=organiser
    )
    campaign_transition(
        campaign=campaign, to_state=CampaignState.DEPOSIT_CLOSED, by=organiser, note="Échéance"
    )
    campaign_transition(campaign=campaign, to_state=CampaignState.JURIES, by=organiser, note="Évaluations")
    teacher_attach(actor=organiser, enrolment=enrolment, teacher=teacher)
    framework, rules = framework_of(version)
    criteria = [c.id for c in selectors.dossier_grid(framework, rules).criteria]
    # Expert on every criterion but two at Avancé (not observable: 6.2): the grid's level is Expert.
    levels = dict.fromkeys(criteria, "expert") | {"2.2": "avance", "5.1": "avance", "6.2": "non_observable"}
    teacher_evaluation_save(
        actor=teacher,
        enrolment=enrolment,
        activity_title=ACTIVITY,
        activity_description=ACTIVITY_TEXT,
        levels=levels,
        comments=COMMENTS,
    )
    teacher_evaluation_validate(actor=teacher, enrolment=enrolment)
    campaign_transition(
        campaign=campaign, to_state=CampaignState.DELIBERATION, by=organiser, note="Décisions"
    )
    campaign_transition(
        campaign=campaign, to_state=CampaignState.PUBLISHED, by=organiser, note="Publication", confirmed=True
    )
    stdout.write(f"Demo INSPÉ: « {TITLE} » published ({INSPE_NAME}).\n")


def _rectorat(version: FrameworkVersion, stdout: TextIO) -> None:
    president = User.objects.filter(email="president@demo.certeval.fr").first()
    if president is None:
        return
    organisation, _created = Organisation.objects.get_or_create(
        name=RECTORAT_NAME, defaults={"kind": "rectorat", "academy": _academy("amiens")}
    )
    organiser = _user(*RECTORAT_ORGANISER)
    _member(organisation, organiser, "organiser")
    person = _user(*CONTINUING)
    campaign = _campaign(STAFF_TITLE, version, organisation, organiser)
    enrolment = _enrol(campaign, person, organiser, training="continue", mention=None)
    deadline = campaign.deposit_deadline
    deposit(enrolment, person, pages=5, when=deadline - timedelta(days=2), heading="Dossier de pratique")
    automated_result_record(
        enrolment=enrolment,
        level="confirme",
        obtained_on=deadline.date() - timedelta(days=40),
        actor=organiser,
    )
    campaign_transition(
        campaign=campaign, to_state=CampaignState.DEPOSIT_CLOSED, by=organiser, note="Échéance"
    )
    campaign_transition(campaign=campaign, to_state=CampaignState.JURIES, by=organiser, note="Jurys")
    oral_day = timezone.localdate() - timedelta(days=10)
    add_pool(
        campaign, [f"{oral_day:%Y-%m-%d}-am", f"{oral_day:%Y-%m-%d}-pm"], max_load=4, organiser=organiser
    )
    result = jury_compose_campaign(campaign=campaign, actor=organiser, time_limit=10)
    if not result.ok:
        transaction.set_rollback(True)
        stdout.write(f"Demo INSPÉ: no jury for the rectorat's campaign ({result.solution.status}).\n")
        return
    jury_group_set_president(group=result.juries[0].group, president=president, actor=organiser)
    framework, rules = framework_of(version)
    criteria = [c.id for c in selectors.dossier_grid(framework, rules).criteria]
    slot = OralSlot.objects.get(enrolment=enrolment)
    deliberation_save(
        slot=slot,
        actor=president,
        consensus=dict.fromkeys(criteria, "avance"),
        item_comments={"8": "Expérience partagée avec l'équipe de circonscription."},
        oral_levels={},
        oral_comments={},
    )
    deliberation_validate(slot=slot, actor=president)
    stdout.write(f"Demo INSPÉ: « {STAFF_TITLE} » decided by a jury ({RECTORAT_NAME}).\n")


def populate(stdout: TextIO) -> list[DemoAccount]:
    accounts = [
        DemoAccount("organisateur de l'INSPÉ d'Amiens", ORGANISER[0]),
        DemoAccount("enseignant de l'INSPÉ (évalue son étudiante)", TEACHER[0]),
        DemoAccount("étudiante de master MEEF (mention 1)", STUDENT[0]),
    ]
    version = (
        FrameworkVersion.objects.filter(framework_id="inspe-crcn-edu").order_by("-version_number").first()
    )
    if version is None:
        return []
    if not Campaign.objects.filter(title=TITLE).exists():
        with transaction.atomic():
            _inspe(version, stdout)
    if not Campaign.objects.filter(title=STAFF_TITLE).exists():
        with transaction.atomic():
            _rectorat(version, stdout)
    if Campaign.objects.filter(title=STAFF_TITLE).exists():
        accounts += [
            DemoAccount("organisateur du rectorat d'Amiens", RECTORAT_ORGANISER[0]),
            DemoAccount("enseignante en formation continue (jury)", CONTINUING[0]),
        ]
    return accounts


def notes() -> list[str]:
    return [
        f"INSPÉ (seed 002) : « {TITLE} » — enseignant.inspe@ ouvre « Mes étudiants » puis l'évaluation de "
        "l'activité de etudiante.inspe@ (phases, items et points de 002, décision validée : grille Expert, "
        "Pix+ Édu Avancé → certifiée Avancé) ; organisateur.inspe@ : « Organisations » et « Enseignants "
        "évaluateurs » (/jurys/campagne/<id>/enseignants/).",
        f"Formation continue : « {STAFF_TITLE} » (rectorat), enseignante.continue@ entendue par un jury composé.",
    ]
