"""The preparation support's demo (seed 004, §5.2 and §6), on the main Pix+ Édu campaign: the demo
candidate (candidat@) had their draft read by a peer (pair@, who left feedback on two sections and
overall before the deposit) and rehearsed their oral with the demo juror (jure@), who wrote their
feedback; two more rehearsal slots are open. On the spring campaign (open) the candidate has invited
pair@ again, so the peer's page can be walked. Every row goes through the services, at past
instants. Idempotent: nothing is added once the candidate has booked their rehearsal."""

from __future__ import annotations

from datetime import time, timedelta
from typing import TextIO

from django.urls import reverse
from django.utils import timezone

from certeval.accounts.models import User
from certeval.campaigns.deadlines import paris_instant
from certeval.campaigns.demo import MAIN_TITLE, SPRING_TITLE
from certeval.campaigns.models import Enrolment
from certeval.core.demo import DEMO_PASSWORD, DemoAccount
from certeval.dossiers.peer_models import PeerInvitation
from certeval.dossiers.peer_services import peer_feedback_add, peer_invite
from certeval.juries.rehearsal_models import RehearsalBooking
from certeval.juries.rehearsal_services import rehearsal_book, rehearsal_feedback, rehearsal_slot_open

CANDIDATE = "candidat@demo.certeval.fr"
PEER = "pair@demo.certeval.fr"
JUROR = "jure@demo.certeval.fr"
ORGANISER = "organisateur@demo.certeval.fr"
FEEDBACK = [
    (
        "scenario",
        "Le scénario est clair ; précisez la durée de chaque phase et les modalités de travail (binômes, "
        "groupes) pour que le jury se représente la séance.",
    ),
    (
        "evaluation",
        "La partie « Évaluation » répond à « comment ? » mais pas à « par qui ? » ni au lien avec Pix : "
        "une capture de la campagne Pix Orga serait une trace utile.",
    ),
    (
        "overall",
        "Dossier lisible et bien ordonné. Les traces sont surtout des liens : privilégiez les captures "
        "d'écran, comme le conseille le guide.",
    ),
]
REHEARSAL_FEEDBACK = (
    "Présentation fluide en 10 minutes. L'analyse critique paraphrase encore le dossier : partez des "
    "traces pour expliquer vos choix. Préparez une réponse sur le RGPD (outils utilisés par les élèves) "
    "et sur la plus-value du numérique par rapport à la même séance sans numérique."
)


def _enrolment(title: str) -> Enrolment | None:
    return (
        Enrolment.objects.filter(campaign__title=title, candidate__user__email=CANDIDATE)
        .select_related("campaign", "candidate__user", "dossier")
        .first()
    )


def _peer() -> User:
    found = User.objects.filter(email=PEER).first()
    return found or User.objects.create_user(PEER, DEMO_PASSWORD, first_name="Dominique", last_name="Pair")


def populate(stdout: TextIO) -> list[DemoAccount]:
    enrolment = _enrolment(MAIN_TITLE)
    juror = User.objects.filter(email=JUROR).first()
    organiser = User.objects.filter(email=ORGANISER).first()
    if enrolment is None or juror is None or organiser is None:
        stdout.write("Preparation demo skipped: the main Pix+ Édu campaign is not there.\n")
        return []
    accounts = [DemoAccount("pair (relecture d'un dossier)", PEER)]
    if RehearsalBooking.objects.filter(enrolment=enrolment).exists():
        return accounts
    peer = _peer()
    candidate = enrolment.candidate.user
    # The draft was open between the upload and the final deposit (a few minutes in the demo).
    first_upload = enrolment.dossier.files.order_by("uploaded_at").first()
    frozen_at = enrolment.dossier.frozen_at
    if first_upload is not None and frozen_at is not None:
        start = first_upload.uploaded_at
        invitation = peer_invite(
            enrolment=enrolment,
            by=candidate,
            email=PEER,
            name="Dominique Pair",
            message="Peux-tu relire mon dossier avant le dépôt ? Merci !",
            now=start + timedelta(seconds=20),
        )
        for offset, (section, text) in enumerate(FEEDBACK, start=1):
            peer_feedback_add(
                invitation=invitation,
                section=section,
                text=text,
                by=peer,
                now=min(start + timedelta(seconds=40 * offset), frozen_at - timedelta(seconds=1)),
            )
    today = timezone.localdate()
    held = paris_instant(today - timedelta(days=2), time(17, 0))  # a rehearsal after school hours
    slot = rehearsal_slot_open(
        campaign=enrolment.campaign,
        by=juror,
        rehearser=juror,
        starts_at=held,
        duration_minutes=30,
        visio_link="https://visio.education.fr/pix-plus-edu-repetition-1",
        now=held - timedelta(days=5),
    )
    rehearsal_book(enrolment=enrolment, slot_id=slot.pk, by=candidate, now=held - timedelta(days=4))
    rehearsal_feedback(slot=slot, by=juror, text=REHEARSAL_FEEDBACK, now=held + timedelta(hours=1))
    for days in (3, 4):
        rehearsal_slot_open(
            campaign=enrolment.campaign,
            by=organiser,
            rehearser=juror,
            starts_at=paris_instant(today + timedelta(days=days), time(16, 30)),
            duration_minutes=30,
            place="DRANE de Versailles, salle 2",
        )
    spring = _enrolment(SPRING_TITLE)
    if spring is not None and not PeerInvitation.objects.filter(enrolment=spring).exists():
        peer_invite(enrolment=spring, by=spring.candidate.user, email=PEER, name="Dominique Pair")
    stdout.write("Preparation support: a peer's feedback and a rehearsal with feedback for candidat@.\n")
    return accounts


def notes() -> list[str]:
    enrolment = _enrolment(MAIN_TITLE)
    if enrolment is None:
        return []
    return [
        "Préparation (candidat@) : guide du candidat "
        f"{reverse('prep:guide', args=[enrolment.pk])}, avis d'un pair "
        f"{reverse('prep:peer_review', args=[enrolment.pk])}, répétition de l'oral et son retour "
        f"{reverse('rehearsals:candidate', args=[enrolment.pk])} ; pair@ : dossiers à relire "
        f"{reverse('prep:peer_mine')} ; jure@ : répétitions "
        f"{reverse('rehearsals:campaign', args=[enrolment.campaign_id])}",
    ]
