"""A langues candidate deposits a file and declares where C2's platforms are: the section is
redrawn in place (htmx), the missing items follow, and the page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from certeval.campaigns.tests.factories import PASSWORD, CampaignFactory, EnrolmentFactory, pdf_bytes
from certeval.dossiers.tests.test_evidence_declarations import version
from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_candidate_declares_evidence_beside_the_deposit(page, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = "etat"
    enrolment = EnrolmentFactory(
        campaign=CampaignFactory(framework_version=version("langues-vivantes-innovation"))
    )
    dossier = tmp_path / "dossier-professionnel.pdf"
    dossier.write_bytes(pdf_bytes(12))

    page.goto("/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(enrolment.candidate.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"/mes-certifications/{enrolment.pk}/dossier/")
    page.get_by_label("Intitulé").fill("Dossier professionnel")
    page.locator("input[type=file]").set_input_files(str(dossier))
    page.get_by_role("button", name="Déposer le fichier").click()
    expect(page.get_by_text("Fichier « dossier-professionnel.pdf » déposé.")).to_be_visible()
    section = page.locator("#evidence-section")
    expect(section.get_by_text("C5 : Le respect du RGPD", exact=False).first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Exigence du référentiel").select_option("C2-supports")
    page.get_by_label("Pages (facultatif)").fill("4-5")
    page.get_by_label("Précision (facultatif)").fill("Genially")
    page.get_by_role("button", name="Déclarer la preuve").click()
    expect(section.get_by_text("Preuve déclarée.")).to_be_visible()
    expect(section.get_by_role("cell", name="Insuffisant (1 sur 2 attendu(s))")).to_be_visible()
    expect(section.get_by_text("Genially", exact=False).first).to_be_visible()

    page.get_by_label("Pages (facultatif)").fill("quatre")
    page.get_by_role("button", name="Déclarer la preuve").click()
    expect(section.get_by_text("Écrivez une page (« 4 ») ou une plage de pages (« 4-7 »).")).to_be_visible()
    assert_accessible(page)
