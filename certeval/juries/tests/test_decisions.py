"""Final decisions of competence référentiels (facilitateur) and bloc référentiels (professional
title): service, deliberation page and bordereau PDF, end to end."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certeval.frameworks.selectors import framework_of
from certeval.juries import selectors
from certeval.juries.errors import JuryError
from certeval.juries.services.deliberation import deliberation_save, deliberation_validate
from certeval.juries.services.scoring import grid_score_save, grid_score_submit
from certeval.juries.tests.factories import jury_campaign

pytestmark = pytest.mark.django_db

COMPETENCES = ["C1", "C2", "C3", "C4", "C5"]
BLOCKS = ["1", "2", "3", "4", "5", "6"]


def _pdf_text(client: Client, slot_id: int) -> str:
    pdf = client.get(reverse("juries:score_sheet", args=[slot_id]))
    assert pdf["Content-Type"] == "application/pdf"
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)


def _save(jc, **verdicts):  # type: ignore[no-untyped-def]
    return deliberation_save(
        slot=jc.slot(),
        actor=jc.president,
        consensus={},
        item_comments={},
        oral_levels={},
        oral_comments={},
        verdicts=verdicts,
        verdict_comments={"C2": "Deux publics seulement"},
    )


def test_competence_decision_service() -> None:
    jc = jury_campaign(candidates=1, framework="facilitateur-apprentissage")
    draft = _save(jc, competences=dict.fromkeys(COMPETENCES, True) | {"C2": False})
    assert draft.evaluation["kind"] == "competences"
    assert draft.outcome == "not_certified" and draft.final_level == ""
    assert any("Non validée : C2" in r for r in draft.evaluation["final"]["reasons"])
    assert "practice" not in draft.evaluation
    draft = _save(jc, competences=dict.fromkeys(COMPETENCES, True))
    assert draft.outcome == "certified"
    decided = deliberation_validate(slot=jc.slot(), actor=jc.president)
    assert decided.verdicts == {"competences": dict.fromkeys(COMPETENCES, True)}
    with pytest.raises(JuryError, match="Compétence inconnue"):
        _save(jc, competences={"C9": True})


def test_competence_scoring_grid_is_built_from_the_competences() -> None:
    jc = jury_campaign(candidates=1, framework="facilitateur-apprentissage")
    framework, rules = framework_of(jc.campaign.framework_version)
    grid = selectors.dossier_grid(framework, rules)
    assert [item.id for item in grid.items] == COMPETENCES
    slot = jc.slot()
    levels = dict.fromkeys((c.id for c in grid.criteria), "acquis")
    grid_score_save(slot=slot, juror=jc.jurors[1], levels=levels)
    assert grid_score_submit(slot=slot, juror=jc.jurors[1], actor=jc.jurors[1].user).submitted_at


def test_competence_deliberation_page_and_pdf(client: Client) -> None:
    jc = jury_campaign(candidates=1, framework="facilitateur-apprentissage")
    slot = jc.slot()
    client.force_login(jc.president)
    page = client.get(reverse("juries:harmonise", args=[slot.pk]))
    assert "Validation des compétences" in page.content.decode()
    data = {f"verdict-{c}": "validated" for c in COMPETENCES} | {"verdictcomment-C3": "Outils variés"}
    response = client.post(reverse("juries:harmonise", args=[slot.pk]), data, follow=True)
    html = response.content.decode()
    assert "Les 5 compétences sont validées : certifié" in html
    client.post(reverse("juries:validate", args=[slot.pk]))
    text = _pdf_text(client, slot.pk)
    assert "Décision : Certifié" in text
    assert "C3 — " in text and "Outils variés" in text
    assert "Niveau final atteint" not in text


def test_block_decision_service() -> None:
    jc = jury_campaign(candidates=1, framework="titre-responsable-formation")
    day = (timezone.localdate() - timedelta(days=30)).isoformat()
    held = {b: {"validated": True, "on": day} for b in BLOCKS}
    draft = _save(jc, blocks=held | {"4": {"validated": False, "on": None}}, final_interview=True)
    assert draft.outcome == "not_certified"
    assert any("titre non attribué" in r for r in draft.evaluation["final"]["reasons"])
    draft = _save(jc, blocks=held, final_interview=None)
    assert any("la réussite à l'entretien final" in r for r in draft.evaluation["final"]["reasons"])
    draft = _save(jc, blocks=held, final_interview=True)
    assert draft.outcome == "certified"
    assert any("titre attribué" in r for r in draft.evaluation["final"]["reasons"])
    with pytest.raises(JuryError, match="date de validation du bloc 2"):
        _save(jc, blocks={"2": {"validated": True, "on": None}})
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    with pytest.raises(JuryError, match="dans le futur"):
        _save(jc, blocks={"2": {"validated": True, "on": future}})


def test_block_deliberation_page_and_pdf(client: Client) -> None:
    jc = jury_campaign(candidates=1, framework="titre-responsable-formation")
    slot = jc.slot()
    client.force_login(jc.president)
    page = client.get(reverse("juries:harmonise", args=[slot.pk]))
    assert "Validation des blocs et entretien final" in page.content.decode()
    day = timezone.localdate() - timedelta(days=10)
    data = {f"verdict-{b}": "validated" for b in BLOCKS} | {f"verdicton-{b}": day.isoformat() for b in BLOCKS}
    data |= {"verdict-5": "not_validated", "final_interview": "passed", "verdictcomment-5": "Budget absent"}
    html = client.post(reverse("juries:harmonise", args=[slot.pk]), data, follow=True).content.decode()
    assert "titre non attribué" in html
    client.post(reverse("juries:validate", args=[slot.pk]))
    text = _pdf_text(client, slot.pk)
    assert "Décision : Non certifié" in text
    assert "Entretien final : réussi" in text
    assert f"{day:%d/%m/%Y}" in text and "Budget absent" in text
