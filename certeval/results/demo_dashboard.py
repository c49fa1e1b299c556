"""Demo: a Pix+ Édu campaign in deliberation whose first session's results are already published.

« Pix+ Édu — campagne d'automne 2026 (délibération) » has two sessions. The four candidates of the
September session (Versailles, Lyon) are decided and their results published on their own; the two
candidates of the October session are heard, one decided and one not yet, so the campaign cannot be
published and its dashboard shows the funnel stopping before « Résultat publié ». The organiser
reads it on « Tableau de bord » from the campaign's page. Running it twice changes nothing.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from certeval.accounts.models import User
from certeval.campaigns.deadlines import paris_instant
from certeval.campaigns.demo import SPRING_TITLE
from certeval.campaigns.enrolments import enrolment_assign_session
from certeval.campaigns.models import Campaign, CampaignState
from certeval.campaigns.services import campaign_create, campaign_transition, session_create
from certeval.core.demo import DemoAccount
from certeval.dossiers.demo import deposit
from certeval.frameworks.models import FrameworkVersion
from certeval.juries.demo_adjourned import _academy, _enrol, _user, add_pool, decide_all
from certeval.juries.services.composition import jury_compose_campaign, jury_group_set_president
from certeval.results.session_publication import session_publish
from certeval.testing.services import automated_result_record

TITLE = "Pix+ Édu — campagne d'automne 2026 (délibération)"
SEPTEMBER = "Session de septembre"
OCTOBER = "Session d'octobre"
CANDIDATES = [
    # (e-mail, first name, last name, academy, session, level of the practice part or None: undecided)
    ("nora.benali@demo.certeval.fr", "Nora", "Benali", "versailles", SEPTEMBER, "avance"),
    ("hugo.lefevre@demo.certeval.fr", "Hugo", "Lefèvre", "versailles", SEPTEMBER, "confirme"),
    ("ines.moreau@demo.certeval.fr", "Inès", "Moreau", "lyon", SEPTEMBER, "avance"),
    ("lucas.petit@demo.certeval.fr", "Lucas", "Petit", "lyon", SEPTEMBER, "initie"),
    ("jade.roux@demo.certeval.fr", "Jade", "Roux", "versailles", OCTOBER, "avance"),
    ("theo.garnier@demo.certeval.fr", "Théo", "Garnier", "lyon", OCTOBER, None),
]


def populate(stdout: TextIO) -> list[DemoAccount]:
    if Campaign.objects.filter(title=TITLE).exists():
        return []
    version = FrameworkVersion.objects.filter(framework_id="pix-plus-edu").order_by("-version_number").first()
    if version is None or not Campaign.objects.filter(title=SPRING_TITLE).exists():
        return []
    organiser = User.objects.get(email="organisateur@demo.certeval.fr")
    president = User.objects.get(email="president@demo.certeval.fr")
    today = timezone.localdate()
    oral_day = today - timedelta(days=20)
    deadline = paris_instant(oral_day - timedelta(days=40), time(23, 59, 59))
    with transaction.atomic():
        campaign = campaign_create(
            by=organiser,
            title=TITLE,
            framework_version=version,
            deposit_deadline=deadline,
            final_policy="adjourn",
            tie_rule="lower",
            oral_duration_minutes=45,
        )
        campaign_transition(campaign=campaign, to_state=CampaignState.OPEN, by=organiser, note="Ouverture")
        sessions = {
            label: session_create(
                campaign=campaign,
                by=organiser,
                label=label,
                starts_at=paris_instant(deadline.date() - timedelta(days=offset), time(9)),
                ends_at=paris_instant(deadline.date() - timedelta(days=offset), time(12)),
                mode="onsite",
                place="Rectorat",
            )
            for label, offset in ((SEPTEMBER, 20), (OCTOBER, 10))
        }
        levels = {}
        for index, (email, first, last, code, session, level) in enumerate(CANDIDATES):
            person = _user(email, first, last)
            enrolment = _enrol(campaign, person, _academy(code), index)
            enrolment_assign_session(enrolment=enrolment, session=sessions[session], by=organiser)
            automated_result_record(
                enrolment=enrolment,
                level="avance",
                obtained_on=sessions[session].starts_at.date(),
                actor=organiser,
            )
            deposit(enrolment, person, pages=4, when=deadline - timedelta(days=2), heading="Dossier Pix+ Édu")
            levels[enrolment.pk] = level
        campaign_transition(
            campaign=campaign, to_state=CampaignState.DEPOSIT_CLOSED, by=organiser, note="Échéance"
        )
        campaign_transition(campaign=campaign, to_state=CampaignState.JURIES, by=organiser, note="Jurys")
        add_pool(
            campaign, [f"{oral_day:%Y-%m-%d}-am", f"{oral_day:%Y-%m-%d}-pm"], max_load=8, organiser=organiser
        )
        result = jury_compose_campaign(campaign=campaign, actor=organiser, time_limit=10)
        if not result.ok:
            transaction.set_rollback(True)
            stdout.write(f"Demo dashboard: no composition ({result.solution.status}).")
            return []
        for jury in result.juries:
            jury_group_set_president(group=jury.group, president=president, actor=organiser)
        decide_all(campaign, president, levels)
        campaign_transition(
            campaign=campaign, to_state=CampaignState.DELIBERATION, by=organiser, note="Délibération"
        )
        session_publish(session=sessions[SEPTEMBER], by=organiser, confirmed=True)
    stdout.write(
        f"Demo dashboard: « {TITLE} » in deliberation, « {SEPTEMBER} » published on its own "
        f"(see « Tableau de bord » on the campaign's page)."
    )
    return []


def notes() -> list[str]:
    return [
        f"« {TITLE} » : campagne en délibération dont la « {SEPTEMBER} » est publiée ; "
        "tableau de bord (entonnoir, candidats, export, bordereaux par académie) depuis la page de la campagne "
        "(organisateur@, organisateur.lyon@ pour la seule académie de Lyon)."
    ]
