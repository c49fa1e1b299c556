"""Training in the browser, keyboard only, in both themes: a candidate starts a session from the
training home, answers one question with the keyboard, reads the feedback (announced in a status
region) and goes on to the next question; every page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from certeval.testing.tests.training_factories import learner, make_item
from conftest import assert_accessible, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_keyboard_only_training_question_and_feedback(page, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    enrolment = learner()
    make_item("clavier-1")
    make_item("clavier-2", level="confirme")
    email = enrolment.candidate.user.email

    sign_in(page, email)
    page.wait_for_url(lambda url: "connexion" not in url)
    page.goto("/tests-en-ligne/entrainement/")
    assert_accessible(page)

    tab_to(page, "el.textContent.trim() === 'Commencer (CRCN-Édu 1.1)'")
    page.keyboard.press("Enter")
    page.get_by_text("Énoncé de la question clavier-1").wait_for()
    assert_accessible(page)

    tab_to(page, "el.type === 'radio'")
    page.keyboard.press("Space")  # the first option, the right one
    assert page.locator("input[type=radio]").first.is_checked()
    tab_to(page, "el.textContent.trim() === 'Valider ma réponse'")
    page.keyboard.press("Enter")

    status = page.get_by_role("status").filter(has_text="Bonne réponse.")
    status.wait_for()
    expect(page.get_by_text("Explication de la question clavier-1.")).to_be_visible()
    expect(page.get_by_role("link", name="Ressource clavier-1")).to_be_visible()
    assert_accessible(page)

    tab_to(page, "el.textContent.trim() === 'Question suivante'")
    page.keyboard.press("Enter")
    page.get_by_text("Énoncé de la question clavier-2").wait_for()
    assert_accessible(page)
