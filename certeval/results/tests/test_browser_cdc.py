"""An organiser produces the Caisse des Dépôts flux, imports an acknowledgement rejecting one
passage, opens the rejected holder and corrects them; axe-core finds no violation on these pages,
in both themes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from certeval.juries.tests.test_browser import sign_in
from certeval.results.models import CdcPassage
from certeval.results.tests.cdc_fixtures import declared_campaign, needs_xsd
from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_organiser_declares_reads_the_rejection_and_corrects(page, settings, tmp_path, theme: str) -> None:  # type: ignore[no-untyped-def]
    needs_xsd()
    settings.CERTEVAL_THEME = theme
    jc = declared_campaign(1)
    sign_in(page, jc.organiser.email)
    page.goto(f"/campagnes/{jc.campaign.pk}/")
    page.get_by_role("link", name="Déclaration Caisse des Dépôts").click()
    expect(page.get_by_role("heading", name="Titulaires")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Produire et valider le flux").click()
    expect(page.get_by_text("produit et validé par le schéma", exact=False)).to_be_visible()
    passage = CdcPassage.objects.get()
    ack = tmp_path / "accuse.csv"
    ack.write_text(f"idTechnique;statut;motif\n{passage.technical_id};KO;Sexe incohérent\n", encoding="utf-8")
    page.get_by_label("Accusé de traitement (CSV)").set_input_files(str(ack))
    page.get_by_role("button", name="Importer l'accusé").click()
    expect(
        page.get_by_text("Accusé de traitement importé : 0 passage(s) accepté(s), 1 rejeté(s)")
    ).to_be_visible()
    rejected = page.get_by_role("region", name="Lignes rejetées de l'accusé de traitement")
    expect(rejected.get_by_text("Sexe incohérent")).to_be_visible()
    assert_accessible(page)
    rejected.get_by_role("link", name="Corriger", exact=False).click()
    assert_accessible(page)
    page.get_by_label("Sexe à l'état civil").select_option("M")
    page.get_by_role("button", name="Enregistrer la correction").click()
    expect(page.get_by_text("le prochain flux renverra le même passage", exact=False)).to_be_visible()
