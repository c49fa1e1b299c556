"""Demo data of the item bank: the 512 demo items of Pix+ Édu imported as active items (provisional
IRT parameters), the two item writers (redactrice@ and relecteur@, accounts created by
``certeval/accounts/demo.py``), a few items of the writer in draft, reviewed and pilot status so that
the review queue is not empty, then simulated pilot respondents so that an organiser can run a
calibration (``calibration_demo.seed_pilot_answers``), candidat@'s training history
(``training_demo.seed_training_history``), and proctored sessions — one in progress today
(``session_demo``). Running it twice changes nothing."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TextIO

from certeval.accounts.demo import ITEM_WRITERS
from certeval.accounts.models import User
from certeval.core.demo import DemoAccount
from certeval.domain.items.content import Blank, Content, Kind, Option, Usage
from certeval.domain.items.exchange import read_path
from certeval.domain.items.records import ItemRecord, provisional_irt
from certeval.testing.calibration_demo import seed_pilot_answers
from certeval.testing.invitation_demo import seed_invitations
from certeval.testing.item_services import (
    item_create,
    item_import_package,
    item_review,
    item_submit,
    item_transition,
    writer_grant,
)
from certeval.testing.models import Item, ItemWriter
from certeval.testing.models.items import ItemStatus
from certeval.testing.selectors import known_banks
from certeval.testing.session_demo import notes as session_notes
from certeval.testing.session_demo import populate as seed_sessions
from certeval.testing.training_demo import seed_training_history

BANK = "pix-plus-edu"
DEMO_BANK = Path(__file__).resolve().parent.parent / "data" / "items" / BANK


def _record(code: str, competence: str, level: str, content: Content, part: str = "crcn-edu") -> ItemRecord:
    return ItemRecord(
        code=code,
        part=part,
        competence=competence,
        level=level,
        usage=Usage.PRACTICE,
        content=content,
        irt=provisional_irt(code, level),
    )


# The writer's own items: original questions, in the three statuses before « active ».
WRITER_ITEMS: list[tuple[ItemRecord, str]] = [
    (
        _record(
            "demo-redac-01",
            "1.1",
            "confirme",
            Content(
                kind=Kind.SINGLE,
                stem=(
                    "Un parent d'élève vous écrit sur votre adresse personnelle pour discuter des résultats de "
                    "son enfant. Quelle réponse est la plus adaptée ?"
                ),
                options=(
                    Option("Répondre depuis votre adresse personnelle pour aller plus vite"),
                    Option(
                        "Répondre par la messagerie de l'ENT ou l'adresse académique, en invitant à l'utiliser "
                        "désormais",
                        True,
                    ),
                    Option("Ne pas répondre"),
                    Option("Transférer le message à toute l'équipe pédagogique"),
                ),
                explanation=(
                    "Les échanges avec les familles passent par les outils institutionnels (ENT, messagerie "
                    "académique), qui protègent les données et gardent la trace des échanges."
                ),
                expected_seconds=45,
            ),
        ),
        ItemStatus.DRAFT,
    ),
    (
        _record(
            "demo-redac-02",
            "2.1",
            "avance",
            Content(
                kind=Kind.MULTIPLE,
                stem=(
                    "Vous sélectionnez une vidéo en ligne pour une séance. Quels critères vérifiez-vous avant "
                    "de la diffuser en classe ?"
                ),
                options=(
                    Option("Les conditions d'utilisation et la licence de la vidéo", True),
                    Option("La fiabilité de la source et la date de publication", True),
                    Option("Le nombre de vues de la vidéo"),
                    Option("L'adéquation du contenu à l'objectif de la séance", True),
                ),
                explanation=(
                    "Une ressource se choisit sur son droit d'usage, sa fiabilité et sa pertinence "
                    "pédagogique ; sa popularité ne dit rien de sa qualité."
                ),
                expected_seconds=60,
            ),
        ),
        ItemStatus.DRAFT,
    ),
    (
        _record(
            "demo-redac-03",
            "1.3",
            "confirme",
            Content(
                kind=Kind.SHORT,
                stem=(
                    "Dans un tableur, la cellule B2 contient 15 et la cellule C2 contient 20. Quel résultat "
                    "affiche la formule =MOYENNE(B2:C2) ?"
                ),
                blanks=(Blank(answers=(17.5,), tolerance=0.0),),
                explanation="La moyenne de 15 et 20 est (15 + 20) ÷ 2 = 17,5.",
                expected_seconds=40,
            ),
            part="crcn",
        ),
        ItemStatus.REVIEWED,
    ),
    (
        _record(
            "demo-redac-04",
            "4.1",
            "initie",
            Content(
                kind=Kind.SINGLE,
                stem=(
                    "Vous préparez une fiche d'exercice numérique pour un élève malvoyant qui utilise un "
                    "lecteur d'écran. Que faites-vous pour les images de la fiche ?"
                ),
                options=(
                    Option("Vous les supprimez toutes"),
                    Option("Vous ajoutez à chacune un texte alternatif qui dit ce qu'elle apporte", True),
                    Option("Vous les agrandissez"),
                ),
                explanation=(
                    "Le texte alternatif est lu par le lecteur d'écran : il transmet l'information utile de "
                    "l'image sans la priver de sens pour les autres élèves."
                ),
                expected_seconds=40,
            ),
        ),
        ItemStatus.PILOT,
    ),
]


def _writers() -> tuple[User, User] | None:
    users = [User.objects.filter(email=email).first() for email, *_rest in ITEM_WRITERS]
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None or any(user is None for user in users):
        return None
    for user in users:
        assert user is not None
        if not ItemWriter.objects.filter(bank=BANK, user=user).exists():
            writer_grant(bank=BANK, user=user, actor=admin)
    return users[0], users[1]  # type: ignore[return-value]


def populate(stdout: TextIO) -> list[DemoAccount]:
    if BANK not in known_banks():
        stdout.write(f"Banque {BANK} : référentiel non publié, pas de questions de démonstration.\n")
        return []
    started = time.perf_counter()
    if not Item.objects.filter(bank=BANK).exists():
        items = item_import_package(
            bank=BANK, package=read_path(DEMO_BANK), actor=None, status=ItemStatus.ACTIVE
        )
        stdout.write(
            f"Banque {BANK} : {len(items)} questions de démonstration importées "
            f"(actives, paramètres provisoires) en {time.perf_counter() - started:.1f} s.\n"
        )
    writers = _writers()
    if writers is not None:
        author, reviewer = writers
        for record, status in WRITER_ITEMS:
            if Item.objects.filter(bank=BANK, code=record.code).exists():
                continue
            item = item_create(bank=BANK, record=record, actor=author)
            item_submit(item=item, actor=author)
            if status in (ItemStatus.REVIEWED, ItemStatus.PILOT):
                item_review(item=item, actor=reviewer, approve=True)
            if status == ItemStatus.PILOT:
                item_transition(item=item, to=ItemStatus.PILOT, actor=reviewer)
    seed_pilot_answers(BANK, stdout)
    seed_training_history(stdout)
    seed_invitations(stdout)
    seed_sessions(stdout)
    return []


def notes() -> list[str]:
    """Printed after the demo accounts: how to join today's proctored session and open its console."""
    return session_notes()
