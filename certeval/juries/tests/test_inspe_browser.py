"""An INSPÉ teacher evaluates their student's activity phase by phase and validates the decision
(seed 002); axe-core finds no violation on these pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certeval.juries.tests.inspe_factories import inspe_world
from certeval.juries.tests.test_browser import choose, sign_in
from certeval.testing.services import automated_result_record
from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CRITERIA = [f"{n}.{k}" for n in range(1, 9) for k in (1, 2)]


def test_teacher_evaluates_and_validates(page) -> None:  # type: ignore[no-untyped-def]
    world = inspe_world()
    automated_result_record(
        enrolment=world.student,
        level="avance",
        obtained_on=timezone.localdate() - timedelta(days=20),
        actor=world.organiser,
    )
    student = world.student.candidate.display_name
    sign_in(page, world.teacher.email)
    page.get_by_role("link", name="Mes étudiants").first.click()
    assert_accessible(page)
    page.get_by_role("link", name=student).click()
    assert page.locator("h1").inner_text() == f"Évaluation de l'activité professionnelle — {student}"
    expect(
        page.get_by_text("Pour les mentions 1 et 2, il s'agit d'une activité pédagogique.")
    ).to_be_visible()
    expect(page.get_by_text("Éduquer les apprenants aux apports du numérique")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Activité professionnelle évaluée (intitulé)").fill("Séance de géométrie dynamique")
    for criterion in CRITERIA:
        choose(page, f"level-{criterion}", "expert")
    choose(page, "level-6.2", "non_observable")
    page.get_by_label("Commentaire sur l'item 4").fill("Régulation pertinente.")
    page.get_by_role("button", name="Enregistrer et calculer la décision").click()
    expect(page.get_by_text("Évaluation enregistrée")).to_be_visible()
    expect(page.locator("#final-decision")).to_contain_text("Avancé — Certifié")
    assert_accessible(page)
    page.get_by_role("button", name="Valider la décision").click()
    expect(page.get_by_text("Décision validée : Certifié.")).to_be_visible()
    expect(page.get_by_text("Régulation pertinente.")).to_be_visible()
    assert_accessible(page)
