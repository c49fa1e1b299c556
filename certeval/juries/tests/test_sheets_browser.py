"""The president's harmonisation page in a browser: the grid starts from the jurors' agreement,
disagreements are marked and described to assistive technology, the oral sheet's descriptors open
beside each domain, and the president decides, saves and validates; axe-core finds no violation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from certeval.juries.models import Deliberation
from certeval.juries.tests.factories import jury_campaign
from certeval.juries.tests.test_browser import LEVEL_POSITION, choose
from certeval.juries.tests.test_sheets_pages import _score_all
from conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_president_starts_from_the_agreement_and_decides_the_disagreements(page) -> None:  # type: ignore[no-untyped-def]
    jc = jury_campaign(candidates=1)
    _score_all(jc)
    slot = jc.slot()
    sign_in(page, jc.president.email)
    page.goto(f"/jurys/oral/{slot.pk}/harmoniser/")
    expect(page.get_by_text("les 2 désaccords sont signalés")).to_be_visible()
    # Agreed: pre-filled.
    assert page.locator(f"#level-1\\.1-{LEVEL_POSITION['avance']}").is_checked()
    assert page.locator(f"#oral-1-{LEVEL_POSITION['confirme']}").is_checked()
    # Disagreed: nothing chosen, each juror's level in the group's accessible description.
    group = page.get_by_role("group", name="1.2 — Sélectionner ou concevoir", exact=False)
    expect(group).to_have_accessible_description(
        re.compile(r"^Désaccord entre les jurés \(Dora Drane : Avancé")
    )
    assert not any(page.locator(f"#level-1\\.2-{n}").is_checked() for n in range(1, 6))
    domain3 = page.get_by_role("group", name="Domaine 3 — ENSEIGNEMENT - APPRENTISSAGE")
    expect(domain3).to_have_accessible_description(re.compile("Eric Expert : Expert"))
    # The level texts of the sheet (Annexe 4) under each level, the descriptors (Annexe 5) on demand.
    expect(
        domain3.get_by_text("Sa maîtrise des savoirs lui permet une analyse réflexive riche.")
    ).to_be_visible()
    descriptor = "Je suis capable de m'appuyer sur le numérique dans mes préparations de cours"
    expect(page.get_by_text(descriptor, exact=False)).to_be_hidden()
    page.locator("summary", has_text="Descripteurs des compétences du domaine 3").click()
    expect(page.get_by_text(descriptor, exact=False)).to_be_visible()
    assert_accessible(page)
    # Nothing was saved by showing the pre-fill; the president decides and saves.
    assert not Deliberation.objects.filter(slot=slot).exists()
    choose(page, "level-1.2", "confirme")
    choose(page, "oral-3", "avance")
    page.get_by_role("button", name="Enregistrer et calculer les niveaux").click()
    expect(page.get_by_text("Harmonisation enregistrée ; niveaux calculés.")).to_be_visible()
    draft = Deliberation.objects.get(slot=slot)
    assert draft.consensus["1.2"] == "confirme" and draft.consensus["1.1"] == "avance"
    assert draft.oral_levels["3"] == "avance" and draft.oral_levels["1"] == "confirme"
    assert_accessible(page)
    page.get_by_role("button", name="Valider la décision").click()
    expect(page.get_by_text("Décision validée et enregistrée.")).to_be_visible()
