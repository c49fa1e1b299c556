"""Demo juries: the 2025-2026 Pix+ Édu campaign's juries composed by the solver, then work in
every state — some candidates decided, some in harmonisation, some partly scored, the rest to
score. The demo juror (jure@) sits on juries; the demo president (president@) presides them.

Two closed campaigns show the other kinds of decision, published: the professional title in
training management (blocs + final interview: title awarded; blocs held without the final
interview; bloc 4 not validated) and the Facilitateur (competences: certified; C2 not validated).
Their candidates deposited generated PDF dossiers before the deadline; the juries were composed
by the solver and the president's deliberations validated. ``candidat.titre@demo.certeval.fr`` is
enrolled in both and sees a published result in each. Running it twice changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.utils import timezone

from certeval.accounts.models import User
from certeval.campaigns import prerequisites
from certeval.campaigns.deadlines import paris_instant
from certeval.campaigns.demo import MAIN_TITLE, demo_identity
from certeval.campaigns.enrolments import EnrolmentData, enrolment_create
from certeval.campaigns.models import Academy, Campaign, CampaignState, Enrolment
from certeval.campaigns.services import campaign_create, campaign_transition
from certeval.core.demo import DEMO_PASSWORD, DemoAccount
from certeval.dossiers.demo import deposit
from certeval.frameworks.models import FrameworkVersion
from certeval.frameworks.selectors import framework_of
from certeval.juries import demo_adjourned, selectors
from certeval.juries.models import JurorRole, Jury, JuryGroup, Meeting, OralSlot
from certeval.juries.services.composition import (
    jury_compose_campaign,
    jury_group_set_president,
    jury_set_visio,
)
from certeval.juries.services.deliberation import deliberation_save, deliberation_validate
from certeval.juries.services.pool import juror_add, jury_settings_update
from certeval.juries.services.questions import juror_feedback_submit, jury_question_add
from certeval.juries.services.scoring import grid_score_save, grid_score_submit, meeting_record
from certeval.testing.services import automated_result_record

POOL = [
    ("jure@demo.certeval.fr", "Judith", "Jurée", JurorRole.EXPERT, "nice"),
    ("drane.nice@demo.certeval.fr", "Denis", "Rivière", JurorRole.DRANE, "nice"),
    ("ien.lille@demo.certeval.fr", "Isabelle", "Fontaine", JurorRole.INSPECTEUR, "lille"),
    ("principal.rennes@demo.certeval.fr", "Pierre", "Lemaire", JurorRole.DIRECTION, "rennes"),
    ("drane.bordeaux@demo.certeval.fr", "Béatrice", "Charpentier", JurorRole.DRANE, "bordeaux"),
    ("expert.lille@demo.certeval.fr", "Étienne", "Marchand", JurorRole.EXPERT, "lille"),
    ("expert.rennes@demo.certeval.fr", "Agathe", "Lucas", JurorRole.EXPERT, "rennes"),
    ("expert.bordeaux@demo.certeval.fr", "Bruno", "Gauthier", JurorRole.EXPERT, "bordeaux"),
    ("expert.versailles@demo.certeval.fr", "Valérie", "Perrot", JurorRole.EXPERT, "versailles"),
    ("expert.lyon@demo.certeval.fr", "Lucien", "Barbier", JurorRole.EXPERT, "lyon"),
]
ACADEMY_NAMES = {"nice": "Nice", "lille": "Lille", "rennes": "Rennes", "bordeaux": "Bordeaux"}


def _academy(code: str) -> Academy:
    return Academy.objects.get_or_create(code=code, defaults={"name": ACADEMY_NAMES.get(code, code.title())})[
        0
    ]


def _user(email: str, first: str, last: str) -> User:
    return User.objects.filter(email=email).first() or User.objects.create_user(
        email, DEMO_PASSWORD, first_name=first, last_name=last
    )


def _levels(
    rng: random.Random, criteria: list[str], ids: list[str], centre: int, spread: int
) -> dict[str, str]:
    """A juror's grid around ``centre`` (rank), each criterion within ± ``spread``, a few non observable."""
    levels = {}
    for criterion in criteria:
        if rng.random() < 0.08:
            levels[criterion] = "non_observable"
            continue
        rank = min(len(ids) - 1, max(0, centre + rng.randint(-spread, spread)))
        levels[criterion] = ids[rank]
    return levels


def populate(stdout: TextIO) -> list[DemoAccount]:
    _pix_plus_edu_juries(stdout)
    return _published_campaigns(stdout) + demo_adjourned.populate(stdout)


def _pix_plus_edu_juries(stdout: TextIO) -> None:
    campaign = Campaign.objects.filter(title=MAIN_TITLE).first()
    if campaign is None or Jury.objects.filter(campaign=campaign).exists():
        return
    organiser = User.objects.get(email="organisateur@demo.certeval.fr")
    president = User.objects.get(email="president@demo.certeval.fr")
    if campaign.state == CampaignState.DEPOSIT_CLOSED:
        campaign_transition(campaign=campaign, to_state=CampaignState.JURIES, by=organiser, note="Jurys")
    rng = random.Random(5)
    start = timezone.localdate() + timedelta(days=14)
    halfdays = [f"{start + timedelta(days=d):%Y-%m-%d}-{part}" for d in range(3) for part in ("am", "pm")]
    jurors = [
        juror_add(
            campaign=campaign,
            user=_user(email, first, last),
            role=role,
            academy=_academy(academy),
            halfdays=halfdays,
            max_load=15,
            actor=organiser,
        )
        for email, first, last, role, academy in POOL
    ]
    framework, rules = framework_of(campaign.framework_version)
    ids = [level.id for level in framework.levels]
    enrolments = list(selectors.candidates_to_compose(campaign).select_related("session"))
    for index, enrolment in enumerate(enrolments):
        # The result of the automated test the candidate took in their session.
        session_day = timezone.localtime(enrolment.session.starts_at).date() if enrolment.session else None
        automated_result_record(
            enrolment=enrolment,
            level=ids[1 + index % 2],
            obtained_on=session_day or date(2025, 11, 1) + timedelta(days=index),
            actor=organiser,
        )
    result = jury_compose_campaign(campaign=campaign, actor=organiser, time_limit=30)
    if not result.ok:
        stdout.write(f"Demo juries: no composition ({result.solution.status}).")
        return
    for group in JuryGroup.objects.filter(campaign=campaign):
        jury_group_set_president(group=group, president=president, actor=organiser)
        attendees = {
            m.juror.user for jury in group.juries.all() for m in jury.members.select_related("juror__user")
        }
        meeting_record(
            group=group,
            kind=Meeting.Kind.CALIBRATION,
            held_at=timezone.now() - timedelta(days=3),
            attendees=[president, *attendees],
            minutes="Lecture commune de la grille (Annexe 3) et du bordereau (Annexe 4) ; "
            "double correction d'un dossier témoin.",
            actor=president,
        )
    for jury in Jury.objects.filter(campaign=campaign):
        jury_set_visio(
            jury=jury, link=f"https://visio.education.fr/pix-plus-edu-jury-{jury.number}", actor=organiser
        )
    grid = selectors.dossier_grid(framework, rules)
    criteria = [c.id for phase in grid.phases for item in phase.items for c in item.criteria]
    judith = jurors[0]
    slots = list(
        OralSlot.objects.filter(jury__campaign=campaign).select_related("jury").order_by("starts_at", "pk")
    )
    hers = [s for s in slots if s.jury.members.filter(juror=judith).exists()]
    others = [s for s in slots if s not in hers]
    plan = {s.pk: "decided" for s in others[:4]}
    # One decided candidate shows the campaign's adjourn policy: a practice level (Initié) below
    # the automated level (Confirmé or Avancé) adjourns, the automated result staying valid.
    adjourned = others[0].pk
    plan |= {s.pk: "harmonisation" for s in others[4:7]}
    plan |= {s.pk: "partly" for s in others[7:10]}
    plan |= {hers[0].pk: "decided", hers[1].pk: "others_submitted"}
    for slot in slots:
        state = plan.get(slot.pk)
        if state is None:
            continue
        members = [m.juror for m in slot.jury.members.select_related("juror__user")]
        centre = 0 if slot.pk == adjourned else rng.randint(1, 3)
        for position, juror in enumerate(members):
            if state == "others_submitted" and juror == judith:
                continue
            if state == "partly" and position > 0:
                break
            spread = 2 if state == "harmonisation" and position == 0 else 1
            grid_score_save(
                slot=slot,
                juror=juror,
                levels=_levels(rng, criteria, ids, centre, spread),
                comments={"1": "Stratégie pédagogique explicite.", "7": "Analyse réflexive à approfondir."},
            )
            grid_score_submit(slot=slot, juror=juror, actor=juror.user)
        if state in ("decided", "harmonisation"):
            level = ids[centre]
            deliberation_save(
                slot=slot,
                actor=president,
                consensus=dict.fromkeys(criteria, level),
                item_comments={"1": "Consensus du jury."},
                oral_levels={d: ids[min(3, centre + (d == "5"))] for d in ("1", "2", "3", "4", "5")},
                oral_comments={"1": "Posture réflexive et argumentée.", "3": "Usages variés en classe."},
            )
            if state == "decided":
                deliberation_validate(slot=slot, actor=president)
    jury_question_add(
        campaign=campaign,
        domain="3",
        text="Quelle plus-value le numérique a-t-il apportée à cette séance par rapport à une séance sans numérique ?",
        actor=judith.user,
    )
    for juror, marks in zip(jurors[1:4], ((3, 3, 2, 4), (4, 3, 3, 3), (3, 2, 2, 4)), strict=True):
        juror_feedback_submit(
            juror=juror,
            answers=dict(zip(("dossiers", "traces", "analyses", "organisation"), marks, strict=True)),
            comment="Dossiers bien construits ; traces parfois trop peu commentées.",
            actor=juror.user,
        )
    stdout.write(
        f"Demo juries: {len(result.juries)} juries for {len(slots)} candidates "
        f"({result.solution.status}, {result.solution.wall_seconds:.1f} s); "
        f"{sum(1 for v in plan.values() if v == 'decided')} decided (one adjourned), 3 in harmonisation, "
        "4 partly scored."
    )


# --- closed campaigns of the other decision kinds, published ---------------------------------------

RESULTS_CANDIDATE = ("candidat.titre@demo.certeval.fr", "Titouan", "Candidat")
TITRE_TITLE = "Titre responsable de formation — promotion 2025 (résultats publiés)"
FACILITATEUR_PUBLISHED_TITLE = "Facilitateur d'apprentissage — promotion 2025 (résultats publiés)"
TITRE_POOL = [
    ("formateur.lyon@demo.certeval.fr", "Fanny", "Rolland", JurorRole.FORMATEUR),
    ("formateur2.lyon@demo.certeval.fr", "Gilles", "Masson", JurorRole.FORMATEUR),
    ("pair.lyon@demo.certeval.fr", "Hélène", "Picard", JurorRole.PAIR),
]


Verdicts = list[tuple[dict[str, object], dict[str, str]]]


def _titre_verdicts(on: str) -> Verdicts:
    """Title awarded; six blocs held without the final interview; bloc 4 not validated."""
    held = {b: {"validated": True, "on": on} for b in "123456"}
    return [
        ({"blocks": held, "final_interview": True}, {"final_interview": "Les cinq points vérifiés."}),
        ({"blocks": held, "final_interview": None}, {"final_interview": "Entretien final à passer."}),
        (
            {"blocks": held | {"4": {"validated": False, "on": None}}, "final_interview": True},
            {"4": "Écrit professionnel sans analyse des besoins."},
        ),
    ]


def _facilitateur_verdicts(on: str) -> Verdicts:
    """Certified (the five competences); C2 not validated."""
    every = dict.fromkeys(("C1", "C2", "C3", "C4", "C5"), True)
    return [
        ({"competences": every}, {"C3": "Outils variés et justifiés."}),
        ({"competences": every | {"C2": False}}, {"C2": "Contenus sur une seule plateforme."}),
    ]


def _published_campaigns(stdout: TextIO) -> list[DemoAccount]:
    me = _user(*RESULTS_CANDIDATE)
    account = DemoAccount("candidat (résultats publiés)", me.email)
    titles = []
    for framework_id, title, people, verdicts in [
        (
            "titre-responsable-formation",
            TITRE_TITLE,
            [
                me,
                _user("ines.bloc@demo.certeval.fr", "Inès", "Sansentretien"),
                _user("marc.bloc4@demo.certeval.fr", "Marc", "Quatre"),
            ],
            _titre_verdicts,
        ),
        (
            "facilitateur-apprentissage",
            FACILITATEUR_PUBLISHED_TITLE,
            [_user("lina.facilitatrice@demo.certeval.fr", "Lina", "Facilitatrice"), me],
            _facilitateur_verdicts,
        ),
    ]:
        if Campaign.objects.filter(title=title).exists():
            titles.append(title)
            continue
        if published_campaign(framework_id, title, people, verdicts):
            titles.append(title)
    if titles:
        stdout.write("Demo published results: " + ", ".join(f"« {t} »" for t in titles) + ".")
    return [account] if titles else []


def compose_titre_juries(
    campaign: Campaign, organiser: User, president: User, oral_day: date, academy: Academy
) -> bool:
    """Close the deposit, compose the juries of a closed demo campaign from the Lyon pool (two
    trainers and a peer, available on ``oral_day``) and give them the demo president; False when
    no schedule exists."""
    campaign_transition(
        campaign=campaign, to_state=CampaignState.DEPOSIT_CLOSED, by=organiser, note="Échéance"
    )
    campaign_transition(campaign=campaign, to_state=CampaignState.JURIES, by=organiser, note="Jurys")
    jury_settings_update(
        campaign=campaign,
        actor=organiser,
        groups=[{"roles": ["formateur"], "min": 1}, {"roles": ["pair"], "min": 1, "max": 1}],
        same_academy=True,
    )
    halfdays = [f"{oral_day:%Y-%m-%d}-am", f"{oral_day:%Y-%m-%d}-pm"]
    for email, first, last, role in TITRE_POOL:
        juror_add(
            campaign=campaign,
            user=_user(email, first, last),
            role=role,
            academy=academy,
            halfdays=halfdays,
            max_load=6,
            actor=organiser,
        )
    result = jury_compose_campaign(campaign=campaign, actor=organiser, time_limit=10)
    if not result.ok:
        return False
    for jury in result.juries:
        jury_group_set_president(group=jury.group, president=president, actor=organiser)
        jury_set_visio(
            jury=jury, link=f"https://visio.education.fr/{campaign.slug}-jury-{jury.number}", actor=organiser
        )
    return True


def published_campaign(
    framework_id: str,
    title: str,
    people: list[User],
    verdicts: Callable[[str], Verdicts],
    deposit_with: Callable[[Enrolment, User, datetime], None] | None = None,
) -> bool:
    """A closed campaign: enrolled, deposited and frozen, juries composed, decisions validated,
    published. ``deposit_with(enrolment, person, when)`` deposits and submits a dossier (default:
    a generated 3-page PDF)."""
    version = FrameworkVersion.objects.filter(framework_id=framework_id).order_by("-version_number").first()
    if version is None:
        return False
    organiser = User.objects.get(email="organisateur@demo.certeval.fr")
    president = User.objects.get(email="president@demo.certeval.fr")
    today = timezone.localdate()
    oral_day = today - timedelta(days=30)
    deadline = paris_instant(today - timedelta(days=45), time(23, 59, 59))
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
    lyon = _academy("lyon")
    trainer = prerequisites.TRAINER_EXPERIENCE in prerequisites.required_kinds(version.document)
    for index, person in enumerate(people):
        enrolment = enrolment_create(
            campaign=campaign,
            by=organiser,
            data=EnrolmentData(
                identity=demo_identity(
                    birth_name=person.last_name,
                    first_names=person.first_name,
                    email=person.email,
                    birth_date=date(1982, 4, 1 + index),
                ),
                academy=lyon,
                school_level="second",
                training="continue",
                extra_time_percent=33 if index == 0 else 0,
                trainer_experience_years=5 if trainer else None,
                trainer_experience="Cinq ans de formation d'adultes en organisme de formation."
                if trainer
                else "",
                trainer_experience_declared=trainer,
                learner_accompaniment="accompanied" if trainer else "",
            ),
        )
        when = deadline - timedelta(days=5 + index)
        if deposit_with is not None:
            deposit_with(enrolment, person, when)
            continue
        deposit(
            enrolment,
            person,
            pages=3,
            when=when,
            heading=f"Dossier — {version.document['title']}",
            file_name="dossier-professionnel.pdf",
            title="Dossier professionnel",
        )
    if not compose_titre_juries(campaign, organiser, president, oral_day, lyon):
        return False
    slots = OralSlot.objects.filter(jury__campaign=campaign).order_by("enrolment_id")
    for slot, (verdict, comments) in zip(slots, verdicts(oral_day.isoformat()), strict=True):
        deliberation_save(
            slot=slot,
            actor=president,
            consensus={},
            item_comments={},
            oral_levels={},
            oral_comments={},
            verdicts=verdict,
            verdict_comments=comments,
        )
        deliberation_validate(slot=slot, actor=president)
    campaign_transition(
        campaign=campaign, to_state=CampaignState.DELIBERATION, by=organiser, note="Délibération"
    )
    campaign_transition(
        campaign=campaign, to_state=CampaignState.PUBLISHED, by=organiser, note="Publication", confirmed=True
    )
    return True
