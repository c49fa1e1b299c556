"""The new pages pass axe-core in both themes: a candidate declares their trainer experience and
reads their dossier history; an organiser grants a role and reads the campaign's audit log."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory, organiser_of
from certeval.campaigns.tests.test_prerequisites import facilitateur
from conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_prerequisites_history_roles_and_audit_pages(page, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    campaign = CampaignFactory(framework_version=facilitateur(), prerequisite_policy="refuse_deposit")
    enrolment = EnrolmentFactory(campaign=campaign)
    organiser = organiser_of(campaign)

    sign_in(page, enrolment.candidate.email)
    page.goto(f"/mes-certifications/{enrolment.pk}/dossier/")
    expect(page.get_by_text("Prérequis non rempli", exact=False).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Mes prérequis et justificatifs").click()
    assert_accessible(page)
    page.get_by_label("Votre expérience de formateur").fill("Formatrice d'adultes depuis 2019")
    page.get_by_label("Je déclare sur l'honneur", exact=False).check()
    page.get_by_label("J'ai le projet professionnel d'accompagner", exact=False).check()
    page.get_by_role("button", name="Enregistrer mon expérience").click()
    expect(page.get_by_role("cell", name="Rempli", exact=True).first).to_be_visible()
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
    expect(page.get_by_role("cell", name="Attribution d'un rôle").first).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_organiser_fixes_a_campaign_an_enrolment_and_places_ticked_candidates(
    page, settings, theme: str
) -> None:  # type: ignore[no-untyped-def]
    from certeval.campaigns.academies import load_academies
    from certeval.campaigns.models import Academy
    from certeval.campaigns.tests.factories import SessionFactory

    settings.CERTEVAL_THEME = theme
    load_academies(Academy)  # a transactional test starts from an empty database
    campaign = CampaignFactory()
    first, second = EnrolmentFactory(campaign=campaign), EnrolmentFactory(campaign=campaign)
    SessionFactory(campaign=campaign, label="Oraux du matin", capacity=5)
    organiser = organiser_of(campaign)
    sign_in(page, organiser.email)

    page.goto(f"/campagnes/{campaign.pk}/")
    page.get_by_role("link", name="Modifier la campagne").click()
    assert_accessible(page)
    page.get_by_label("Délai de lecture des dossiers avant l'oral (jours)").fill("10")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("10 jours entre le gel du dossier et l'oral")).to_be_visible()

    page.get_by_role("link", name="Regroupements").click()
    assert_accessible(page)
    page.get_by_label("Nom du regroupement").fill("Grand Est")
    page.locator("#id_academies").get_by_label("Nancy-Metz").check()
    page.locator("#id_academies").get_by_label("Strasbourg").check()
    page.get_by_role("button", name="Créer le regroupement").click()
    expect(page.get_by_role("cell", name="Nancy-Metz, Strasbourg")).to_be_visible()

    page.goto(f"/campagnes/candidats/{first.pk}/")
    page.get_by_role("link", name="Modifier l'inscription").click()
    assert_accessible(page)
    page.get_by_label("Temps majoré (%)").fill("25")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Temps majoré de 25 %")).to_be_visible()

    page.goto(f"/campagnes/{campaign.pk}/candidats/")
    assert_accessible(page)
    page.get_by_label(f"Choisir {first.candidate.display_name}").check()
    page.get_by_label(f"Choisir {second.candidate.display_name}").check()
    page.get_by_label("Session pour les candidats cochés").select_option(label="Oraux du matin")
    page.get_by_role("button", name="Placer les candidats cochés dans cette session").click()
    expect(page.get_by_text("2 candidat(s) placé(s)", exact=False)).to_be_visible()
    assert page.get_by_role("cell", name="Oraux du matin").count() == 2
