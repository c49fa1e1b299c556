"""Demo of the declared evidence (seeds 000 and 001): two published campaigns taken from enrolment
to decision through the services, as the pages do.

* « Former de manière innovante en langues vivantes — session 2026 »: ``candidat.langues@`` declares
  the livrables of épreuve 1 for every competence but only one platform for C2; the jury validates
  the six competences, and the decision is « non certifié » because C2's explicit constraint
  (« au moins deux plateformes ou au moins 2 outils numériques ») is not met — the reason is in
  the decision. A second candidate declares two tools and is certified.
* « Facilitateur d'apprentissage — session 2026 (DEP avec preuves déclarées) »:
  ``candidat.facilitateur@`` declares the DEP's introduction, two lived situations, five
  accompaniment paths, each competence's « au moins un » evidence and the prospective conclusion;
  certified. (The open Facilitateur campaign of the demo is still in deposit and the published one
  is closed, hence a campaign of its own.)

Both are built by :func:`certeval.juries.demo.published_campaign` (enrolment with the prerequisite,
juries composed by the solver, the president's decisions validated, publication), the dossiers
deposited with their declared evidence.

Running it twice changes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TextIO

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, Enrolment
from certeval.core.demo import DEMO_PASSWORD, DemoAccount
from certeval.dossiers.demo import dossier_pdf
from certeval.dossiers.evidence_services import Declared, evidence_declare
from certeval.dossiers.services import dossier_file_upload, dossier_submit
from certeval.juries.demo import Verdicts, published_campaign

LANGUES_TITLE = "Former de manière innovante en langues vivantes — session 2026"
FACILITATEUR_TITLE = "Facilitateur d'apprentissage — session 2026 (DEP avec preuves déclarées)"
LANGUES_CANDIDATE = ("candidat.langues@demo.certeval.fr", "Louis", "Langues")
LANGUES_OTHER = ("nora.langues@demo.certeval.fr", "Nora", "Deuxoutils")
FACILITATEUR_CANDIDATE = ("candidat.facilitateur@demo.certeval.fr", "Fatou", "Facilitatrice")
PAGES = 16

# (requirement, first page, last page, count, note)
Row = tuple[str, int, int, int, str]
LANGUES_LIVRABLES: list[Row] = [
    ("E1-C1", 2, 3, 1, "Parcours hybride A2 généré avec une IA, exercices ajustés"),
    ("E1-C2", 4, 5, 1, "Capsules vidéo sous-titrées et transcription"),
    ("E1-C3", 6, 7, 1, "Forum et rédaction partagée sur la plateforme de la formation"),
    ("E1-C4", 8, 9, 1, "Classe inversée et jeux de rôles, retours d'apprenants"),
    ("E1-C5", 10, 11, 1, "Tests adaptatifs en ligne et grilles de feedback"),
    ("C5-rgpd", 12, 12, 1, "Registre des traitements, information des apprenants, durée de conservation"),
    ("E1-C6", 13, 14, 1, "Synthèses de webinaires et tests d'outils"),
]
FACILITATEUR_DEP: list[Row] = [
    ("dep-introduction", 1, 1, 1, "Parcours de formatrice en insertion"),
    ("dep-situations", 2, 3, 2, "Accueil en entrées-sorties permanentes ; atelier « apprendre à apprendre »"),
    ("dep-parcours", 4, 6, 5, "Cinq parcours d'accompagnement analysés"),
    ("C1-D1", 7, 7, 1, "Plan de travail individualisé"),
    ("C1-D1.1", 7, 7, 1, "Retour de Samia"),
    ("C1-D2", 7, 7, 1, "Grille d'entretien d'accueil"),
    ("C1-D3", 8, 8, 1, "Carnet de bord de l'apprenant"),
    ("C1-D4", 8, 8, 1, "Scénario multimodal synchrone/asynchrone"),
    ("C2-D1", 9, 9, 1, "Atelier « connaissance de soi »"),
    ("C2-D1.1", 9, 9, 1, "Retour de Karim"),
    ("C2-D2", 10, 10, 1, "Fiches adaptées (FALC)"),
    ("C2-D3", 10, 10, 1, "Retour de Léa"),
    ("C2-D4", 10, 10, 1, "Fiche de préparation d'un brainstorming"),
    ("C3-D1", 11, 11, 1, "Récit réflexif d'un travail en binômes"),
    ("C3-D2", 11, 11, 1, "Retour de Paul"),
    ("C3-D3", 12, 12, 1, "Récit de pairagogie"),
    ("C3-D3.1", 12, 12, 1, "Fiche « co-développement »"),
    ("C4-D1", 13, 13, 1, "Compte rendu d'atelier d'échange de pratiques"),
    ("C4-D2", 13, 13, 1, "Outil de suivi mutualisé"),
    ("C4-D2.1", 13, 13, 1, "Retour de Inès"),
    ("C4-D3", 14, 14, 1, "Livret de suivi transdisciplinaire"),
    ("C5-D1", 15, 15, 1, "Conclusion prospective"),
    ("C5-D1.1", 15, 15, 1, "Instruction au sosie"),
    ("C5-D2", 16, 16, 1, "Annexe de veille"),
    ("dep-conclusion", 15, 16, 1, "Conclusion prospective et bibliographie"),
]


def _user(email: str, first: str, last: str) -> User:
    return User.objects.filter(email=email).first() or User.objects.create_user(
        email, DEMO_PASSWORD, first_name=first, last_name=last
    )


def _depositor(rows: dict[str, list[Row]]) -> Callable[[Enrolment, User, datetime], None]:
    """Deposits each candidate's dossier, declares where each piece of evidence is (``rows`` by
    e-mail), then submits — as the deposit page does."""

    def deposit_with(enrolment: Enrolment, person: User, when: datetime) -> None:
        data = dossier_pdf(person.get_full_name(), PAGES, heading=f"Dossier — {enrolment.campaign.title}")
        stored = dossier_file_upload(
            enrolment=enrolment,
            by=person,
            fileobj=io.BytesIO(data),
            original_name="dossier-professionnel.pdf",
            size=len(data),
            kind="document",
            title="Dossier professionnel",
            now=when,
        )
        for minute, (requirement, first, last, count, note) in enumerate(rows[person.email], start=1):
            evidence_declare(
                enrolment=enrolment,
                by=person,
                given=Declared(requirement, stored.pk, first, last, count, note),
                now=when + timedelta(minutes=minute),
            )
        dossier_submit(enrolment=enrolment, by=person, now=when + timedelta(hours=1))

    return deposit_with


def _verdicts(marks: list[tuple[dict[str, bool], dict[str, str]]]) -> Callable[[str], Verdicts]:
    return lambda _on: [({"competences": dict(v)}, c) for v, c in marks]


def populate(stdout: TextIO) -> list[DemoAccount]:
    langues = _user(*LANGUES_CANDIDATE)
    other = _user(*LANGUES_OTHER)
    facilitateur = _user(*FACILITATEUR_CANDIDATE)
    every_langues = dict.fromkeys(["C1", "C2", "C3", "C4", "C5", "C6"], True)
    one_platform: list[Row] = [*LANGUES_LIVRABLES, ("C2-supports", 4, 5, 1, "Genially")]
    two_tools: list[Row] = [
        *LANGUES_LIVRABLES,
        ("C2-supports", 4, 4, 1, "Genially"),
        ("C2-supports", 5, 5, 1, "H5P sur la plateforme de formation"),
    ]
    done = []
    if not Campaign.objects.filter(title=LANGUES_TITLE).exists() and published_campaign(
        "langues-vivantes-innovation",
        LANGUES_TITLE,
        [langues, other],
        _verdicts(
            [
                (every_langues, {"C2": "Contenus riches, mais créés sur une seule plateforme."}),
                (every_langues, {}),
            ]
        ),
        _depositor({langues.email: one_platform, other.email: two_tools}),
    ):
        done.append(LANGUES_TITLE)
    if not Campaign.objects.filter(title=FACILITATEUR_TITLE).exists() and published_campaign(
        "facilitateur-apprentissage",
        FACILITATEUR_TITLE,
        [facilitateur],
        _verdicts(
            [
                (
                    dict.fromkeys(["C1", "C2", "C3", "C4", "C5"], True),
                    {"C1": "Outils d'individualisation illustrés."},
                )
            ]
        ),
        _depositor({facilitateur.email: FACILITATEUR_DEP}),
    ):
        done.append(FACILITATEUR_TITLE)
    if done:
        stdout.write("Demo declared evidence: " + ", ".join(f"« {t} »" for t in done) + ".")
    return [
        DemoAccount("candidat langues (refusé sur C2, preuves déclarées)", langues.email),
        DemoAccount("candidat Facilitateur (DEP avec preuves déclarées, certifié)", facilitateur.email),
    ]


def notes() -> list[str]:
    return [
        f"« {LANGUES_TITLE} » : candidat.langues@ non certifié, C2 déclarée sur une seule plateforme "
        "(la raison est dans la décision) ; le jury voit les preuves déclarées à côté de la grille.",
        f"« {FACILITATEUR_TITLE} » : candidat.facilitateur@ certifié, DEP avec ses preuves déclarées.",
    ]
