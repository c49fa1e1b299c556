"""Every value a person reads is a French label: the key pages of the catalogue, the juries and the
candidate's result, rendered for the test fixtures, show no raw identifier (level or policy ids,
half-day keys, snake_case keys, file names, JSON, editor's notes, database numbers)."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, CampaignState
from certeval.frameworks.labels import framework_title, readable
from certeval.juries.explain import halfday_label
from certeval.juries.services.deliberation import deliberation_validate
from certeval.juries.tests.factories import JuryCampaign, jury_campaign, published
from certeval.juries.tests.test_services import _harmonise

pytestmark = pytest.mark.django_db

RAW = {
    "level id": re.compile(r"\b(?:initie|confirme|avance|expert|non_acquis|non-acquis)\b"),
    "policy or setting id": re.compile(r"\b(?:adjourn|joint|lower|higher)\b"),
    "snake_case key": re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"),
    "half-day key": re.compile(r"\b\d{4}-\d{2}-\d{2}-(?:am|pm)\b"),
    "file name": re.compile(r"\b[\w.-]+\.(?:ya?ml|md|txt)\b"),
    "editor's note": re.compile(r"intitulé non donné par la source|: réglage\)"),
    "JSON": re.compile(r"[{}]"),
    "database number": re.compile(r"\b(?:Inscription|Dossier|Campagne|Candidat) n° \d+"),
}


def visible_text(page: str) -> str:
    """The text a person reads: no scripts, styles or tags (attribute values are not read)."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", page))


def raw_values(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    text = visible_text(response.content.decode())
    return [
        f"{url}: {name} « {m.group(0)} »" for name, pattern in RAW.items() for m in pattern.finditer(text)
    ]


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def decided(adjourned: bool = True) -> JuryCampaign:
    """A Pix+ Édu jury campaign whose first candidate has a validated decision (adjourned: practice
    at Initié below the automated Confirmé, under the default « adjourn » policy)."""
    jc = jury_campaign(candidates=2)
    _harmonise(jc, "initie", "initie") if adjourned else _harmonise(jc)
    deliberation_validate(slot=jc.slot(), actor=jc.president)
    return jc


def test_the_catalogue_shows_labels_only() -> None:
    for framework_id in (
        "pix-plus-edu",
        "titre-responsable-formation",
        "langues-vivantes-innovation",
        "crcn",
    ):
        published(framework_id)
    visitor = client_of(None)
    urls = [
        reverse("home"),
        reverse("frameworks:list"),
        reverse("frameworks:search") + "?q=num%C3%A9rique",
    ]
    for framework_id in (
        "pix-plus-edu",
        "titre-responsable-formation",
        "langues-vivantes-innovation",
        "crcn",
    ):
        detail = reverse("frameworks:detail", args=[framework_id])
        urls += [detail, f"{detail}?onglet=grilles", f"{detail}?onglet=epreuves", f"{detail}?onglet=versions"]
    found = [finding for url in urls for finding in raw_values(visitor, url)]
    assert found == []


def test_the_home_page_names_the_title_without_the_editors_note() -> None:
    version = published("titre-responsable-formation")
    # Campaign pages and forms name the référentiel version by its str().
    assert str(version) == "Titre professionnel — responsable de formation — v1"
    page = client_of(None).get(reverse("home")).content.decode()
    assert "Titre professionnel — responsable de formation</a>" in page
    assert "intitulé non donné" not in page


def test_jury_pages_show_labels_only() -> None:
    jc = decided()
    slot = jc.slot()
    found = []
    for user, urls in (
        (
            jc.organiser,
            [
                reverse("juries:mine"),
                reverse("juries:campaign", args=[jc.campaign.pk]),
                reverse("juries:pool", args=[jc.campaign.pk]),
                reverse("juries:juror", args=[jc.campaign.pk, jc.jurors[0].pk]),
                reverse("juries:jury", args=[slot.jury_id]),
                reverse("juries:rule", args=[jc.campaign.pk]),
                reverse("juries:questions", args=[jc.campaign.pk]),
            ],
        ),
        (
            jc.president,
            [
                reverse("juries:mine"),
                reverse("juries:harmonise", args=[slot.pk]),
                reverse("juries:harmonise", args=[jc.slot(1).pk]),
                reverse("juries:agreement", args=[slot.jury_id]),
            ],
        ),
        (jc.jurors[1].user, [reverse("juries:mine"), reverse("juries:score", args=[jc.slot(1).pk])]),
    ):
        client = client_of(user)
        found += [finding for url in urls for finding in raw_values(client, url)]
    assert found == []


def test_the_candidate_reads_their_result_in_labels() -> None:
    jc = decided()
    Campaign.objects.filter(pk=jc.campaign.pk).update(state=CampaignState.PUBLISHED)
    enrolment = jc.enrolments[0]
    client = client_of(enrolment.candidate.user)
    urls = [reverse("dossiers:mine"), reverse("results:result", args=[enrolment.pk])]
    assert [finding for url in urls for finding in raw_values(client, url)] == []
    page = client.get(reverse("results:result", args=[enrolment.pk])).content.decode()
    assert "politique « Ajournement en cas de distorsion »" in html.unescape(page)


def test_half_days_read_as_dates() -> None:
    assert halfday_label("2026-12-14-am") == "lundi 14 décembre 2026, matin"
    assert halfday_label("2026-12-14-pm") == "lundi 14 décembre 2026, après-midi"


def test_labels_of_titles_policies_and_sources() -> None:
    assert framework_title("Titre — formation (intitulé non donné par la source)") == "Titre — formation"
    assert framework_title("Certification Pix+ Édu") == "Certification Pix+ Édu"
    text = readable(
        "Décision finale (004_c07952bd9563431b.txt, §6.3.1), politique adjourn : … ; "
        "Politique par défaut : « joint ». Annexe 4 (égalité non traitée : réglage)"
    )
    assert text == (
        "Décision finale (Certification Pix+ Édu — Rapport de jury 2022-2023 (septembre 2023), §6.3.1), "
        "politique « Ajournement en cas de distorsion » : … ; Politique par défaut : « Niveau le plus "
        "élevé reconnu conjointement ». Annexe 4 (la source ne traite pas l'égalité : la campagne la règle)"
    )
    assert "CONTEXT.md" not in readable("liste des compétences : CONTEXT.md « 0. CRCN »")
