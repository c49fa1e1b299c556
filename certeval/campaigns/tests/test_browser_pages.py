"""The new pages pass axe-core in both themes: a candidate declares their trainer experience and
reads their dossier history; an organiser grants a role and reads the campaign's audit log."""

from __future__ import annotations

import pytest

from certeval.campaigns.tests.factories import PASSWORD, CampaignFactory, EnrolmentFactory, organiser_of
from certeval.campaigns.tests.test_prerequisites import facilitateur
from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_prerequisites_history_roles_and_audit_pages(page, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    campaign = CampaignFactory(framework_version=facilitateur(), prerequisite_policy="refuse_deposit")
    enrolment = EnrolmentFactory(campaign=campaign)
    organiser = organiser_of(campaign)

    sign_in(page, enrolment.candidate.email)
    page.goto(f"/mes-certifications/{enrolment.pk}/dossier/")
    assert page.get_by_text("Prérequis non rempli", exact=False).first.is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Mes prérequis et justificatifs").click()
    assert_accessible(page)
    page.get_by_label("Votre expérience de formateur").fill("Formatrice d'adultes depuis 2019")
    page.get_by_label("Je déclare sur l'honneur", exact=False).check()
    page.get_by_role("button", name="Enregistrer mon expérience").click()
    assert page.get_by_role("cell", name="Rempli", exact=True).is_visible()
    page.goto(f"/mes-certifications/{enrolment.pk}/historique/")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, organiser.email)
    page.goto(f"/campagnes/{campaign.pk}/roles/")
    page.get_by_label("Adresse électronique").fill("nouvelle@example.fr")
    page.locator("#id_role").select_option("invigilator")
    page.get_by_role("button", name="Attribuer le rôle").click()
    page.get_by_role("rowheader", name="nouvelle@example.fr").wait_for()
    assert_accessible(page)
    page.goto(f"/campagnes/{campaign.pk}/journal/")
    assert page.get_by_role("cell", name="Attribution d'un rôle").first.is_visible()
    assert_accessible(page)
