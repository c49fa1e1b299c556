"""The candidate guide: the data copied from seed 004, its validation, its page and its links."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from django.test import Client

from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory, organiser_of
from certeval.dossiers.guide_data import GUIDES_DIR, GuideError, guide_for, parse_guide
from certeval.frameworks.services import DATA_DIR


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((GUIDES_DIR / "pix-plus-edu.yaml").read_text(encoding="utf-8"))
    return data


def test_pix_plus_edu_guide_holds_annexes_6_and_7_and_the_advice() -> None:
    guide = guide_for("pix-plus-edu")
    assert guide is not None
    parts = {p.id: p for p in guide.parts}
    assert [g.title for g in parts["dossier_structure"].groups] == [
        "Présentation du scénario pédagogique",
        "Référence aux programmes, étayage scientifique",
        "Déroulement, mise en œuvre",
        "Évaluation",
        "Bilan, plus-value du numérique",
    ]
    assert (
        "Équipements, ressources, outils et services mobilisés (lien avec RGPD)"
        in parts["dossier_structure"].groups[2].items
    )
    assert [g.title for g in parts["traces"].groups][1:] == [
        f"Traces présentées en 2022-2023 — Session {n}" for n in range(1, 5)
    ]
    assert (
        "Privilégier les captures d'écran aux liens quand cela est possible ;"
        in parts["dossier_advice"].groups[1].items
    )
    assert (
        "Se connecter environ 15 minutes avant le créneau de passage ;"
        in parts["oral_advice"].groups[0].items
    )
    assert guide.feedback_sections()[0] == ("scenario", "Présentation du scénario pédagogique")


def test_every_guide_names_a_known_framework_and_loads() -> None:
    for path in GUIDES_DIR.glob("*.yaml"):
        assert (DATA_DIR / path.name).is_file(), path.name
        assert guide_for(path.stem) is not None


def test_frameworks_without_a_guide_have_none() -> None:
    assert guide_for("crcn") is None
    assert guide_for("../etc/passwd") is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("parts"), "clé(s) manquante(s) : parts"),
        (lambda d: d.update(extra=1), "clé(s) inconnue(s) : extra"),
        (lambda d: d.update(feedback_part="nulle_part"), "aucune partie « nulle_part »"),
        (lambda d: d["parts"][0].update(heading=""), "texte attendu"),
        (lambda d: d["parts"][1]["groups"][0].pop("id"), "identifiant unique"),
        (lambda d: d["parts"][1]["groups"][0].update(id="overall"), "réservé"),
        (lambda d: d["parts"].append(dict(d["parts"][0])), "en double"),
        (lambda d: d["parts"][0]["groups"][0].update(items="texte"), "liste de textes attendue"),
    ],
)
def test_a_malformed_guide_is_refused_with_a_french_reason(change: Any, message: str) -> None:
    data = _raw()
    change(data)
    with pytest.raises(GuideError, match=re.escape(message)):
        parse_guide(data)


@pytest.mark.django_db
def test_guide_page_is_accessible_and_linked_from_the_candidate_space() -> None:
    enrolment = EnrolmentFactory()
    client = Client()
    client.force_login(enrolment.candidate.user)
    page = client.get(f"/mes-certifications/{enrolment.pk}/guide/").content.decode()
    assert "<h1>Guide du candidat — Certification Pix+ Édu</h1>" in page
    assert 'aria-labelledby="dossier_structure"' in page and "Annexe 6" in page and "Annexe 7" in page
    assert "Faire preuve de recul." in page
    guide_url = f"/mes-certifications/{enrolment.pk}/guide/"
    assert guide_url in client.get("/mes-certifications/").content.decode()
    assert guide_url in client.get(f"/mes-certifications/{enrolment.pk}/dossier/").content.decode()


@pytest.mark.django_db
def test_no_guide_no_page_and_no_link() -> None:
    from certeval.frameworks.models import FrameworkVersion
    from certeval.frameworks.services import framework_publish_file

    framework_publish_file(path=DATA_DIR / "facilitateur-apprentissage.yaml")
    version = FrameworkVersion.objects.get(framework_id="facilitateur-apprentissage")
    enrolment = EnrolmentFactory(campaign=CampaignFactory(framework_version=version))
    client = Client()
    client.force_login(enrolment.candidate.user)
    assert client.get(f"/mes-certifications/{enrolment.pk}/guide/").status_code == 404
    assert (
        f"/mes-certifications/{enrolment.pk}/guide/"
        not in client.get("/mes-certifications/").content.decode()
    )


@pytest.mark.django_db
def test_organisers_read_the_guide_of_their_candidates_only() -> None:
    enrolment = EnrolmentFactory()
    client = Client()
    client.force_login(organiser_of(enrolment.campaign))
    assert client.get(f"/mes-certifications/{enrolment.pk}/guide/").status_code == 200
    client.force_login(organiser_of(CampaignFactory()))
    assert client.get(f"/mes-certifications/{enrolment.pk}/guide/").status_code == 404
