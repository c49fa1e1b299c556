"""Demo juries: the 2025-2026 Pix+ Édu campaign's juries composed by the solver, then work in
every state — some candidates decided, some in harmonisation, some partly scored, the rest to
score. The demo juror (jure@) sits on juries; the demo president (president@) presides them.
Running it twice changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TextIO

from django.utils import timezone

from certeval.accounts.models import User
from certeval.campaigns.demo import MAIN_TITLE
from certeval.campaigns.models import Academy, Campaign, CampaignState
from certeval.campaigns.services import campaign_transition
from certeval.core.demo import DEMO_PASSWORD, DemoAccount
from certeval.juries import selectors
from certeval.juries.models import JurorRole, Jury, JuryGroup, Meeting, OralSlot
from certeval.juries.services import (
    automated_result_record,
    deliberation_save,
    deliberation_validate,
    grid_score_save,
    grid_score_submit,
    juror_add,
    juror_feedback_submit,
    jury_compose_campaign,
    jury_group_set_president,
    jury_question_add,
    jury_set_visio,
    meeting_record,
)

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
    campaign = Campaign.objects.filter(title=MAIN_TITLE).first()
    if campaign is None or Jury.objects.filter(campaign=campaign).exists():
        return []
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
    framework, rules = selectors.framework_of(campaign.framework_version)
    ids = [level.id for level in framework.levels]
    enrolments = list(selectors.candidates_to_compose(campaign))
    for index, enrolment in enumerate(enrolments):
        automated_result_record(
            enrolment=enrolment,
            level=ids[1 + index % 2],
            obtained_on=date(2025, 11, 1) + timedelta(days=index),
            actor=organiser,
        )
    result = jury_compose_campaign(campaign=campaign, actor=organiser, time_limit=30)
    if not result.ok:
        stdout.write(f"Demo juries: no composition ({result.solution.status}).")
        return []
    for group in JuryGroup.objects.filter(campaign=campaign):
        jury_group_set_president(group=group, president=president, actor=organiser)
        members = {
            m.juror.user for jury in group.juries.all() for m in jury.members.select_related("juror__user")
        }
        meeting_record(
            group=group,
            kind=Meeting.Kind.CALIBRATION,
            held_at=timezone.now() - timedelta(days=3),
            attendees=[president, *members],
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
    return []
