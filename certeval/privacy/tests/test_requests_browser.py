"""A candidate asks for a rectification through the form and an administrator accepts it, in both
themes; every page of the requests passes axe-core (WCAG 2.1 A/AA)."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from certeval.campaigns.tests.factories import EnrolmentFactory, UserFactory
from conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("CERTEVAL_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_rectification_from_the_form_to_its_answer(page, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    enrolment = EnrolmentFactory(candidate__birth_name="Martin")
    admin = UserFactory(is_superuser=True, is_staff=True)
    sign_in(page, enrolment.candidate.email)
    page.get_by_role("link", name="Mon compte").click()
    page.get_by_role("link", name="Mes demandes").click()
    expect(page.get_by_role("heading", level=1, name="Mes demandes")).to_be_visible()
    page.get_by_role("link", name="Demander l'effacement de mes données").click()
    expect(page.get_by_role("heading", name="Ce qui doit être conservé, et pourquoi")).to_be_visible()
    assert_accessible(page)
    _shot(page, f"erasure-{theme}")
    page.goto("/donnees-personnelles/rectification/")
    page.get_by_label("Donnée à rectifier").select_option("birth_name")
    page.get_by_label("Valeur demandée").fill("Martin-Dubois")
    page.get_by_label("Motif").fill("Nom composé depuis mon mariage")
    assert_accessible(page)
    _shot(page, f"rectification-{theme}")
    page.get_by_role("button", name="Demander la rectification").click()
    expect(page.get_by_text("Votre demande de rectification est enregistrée.")).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()
    sign_in(page, admin.email)
    page.goto("/donnees-personnelles/demandes/")
    assert_accessible(page)
    _shot(page, f"admin-list-{theme}")
    page.get_by_role("link", name="Rectification n°").click()
    assert_accessible(page)
    page.get_by_role("button", name="Accepter et appliquer la correction").click()
    expect(page.get_by_text("La demande est acceptée")).to_be_visible()
    _shot(page, f"admin-detail-{theme}")
    enrolment.candidate.refresh_from_db()
    assert enrolment.candidate.birth_name == "Martin-Dubois"
