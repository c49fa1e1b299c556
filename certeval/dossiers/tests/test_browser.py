"""A candidate signs in, deposits a dossier, submits it and reaches the receipt; every page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from certeval.campaigns.tests.factories import PASSWORD, EnrolmentFactory, pdf_bytes
from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_candidate_deposits_and_gets_the_receipt(page, settings, tmp_path, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    enrolment = EnrolmentFactory()
    dossier = tmp_path / "mon-dossier.pdf"
    dossier.write_bytes(pdf_bytes(4))

    page.goto("/comptes/connexion/")
    assert_accessible(page)
    page.get_by_label("Adresse électronique").fill(enrolment.candidate.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.goto("/mes-certifications/")
    assert_accessible(page)
    page.get_by_role("link", name=enrolment.campaign.title).click()
    assert page.locator("h1").inner_text() == "Dépôt du dossier"
    assert_accessible(page)

    page.get_by_label("Intitulé").fill("Dossier principal")
    page.get_by_label("Fichier", exact=False).first.set_input_files(str(dossier))
    page.get_by_role("button", name="Déposer le fichier").click()
    expect(page.get_by_text("Fichier « mon-dossier.pdf » déposé.")).to_be_visible()
    expect(page.get_by_role("cell", name="Conforme").first).to_be_visible()  # 4 pages, within 2 to 10
    assert_accessible(page)

    page.get_by_label("Je dépose définitivement ce dossier", exact=False).check()
    page.get_by_role("button", name="Déposer définitivement mon dossier").click()
    assert page.locator("h1").inner_text() == "Récépissé de dépôt"
    enrolment.dossier.refresh_from_db()
    stored = enrolment.dossier.files.get()
    expect(page.get_by_text(stored.sha256)).to_be_visible()
    assert_accessible(page)
