"""A placement run in the browser, from the online tests' home page to the result, with the keyboard
only (Tab, Space, Enter); the question and result pages pass axe-core in both themes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from certeval.testing.models import Run
from certeval.testing.tests.run_factories import enrolled, make_bank
from conftest import assert_accessible, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOUR = {
    "composition": {"premier": {"crcn": 2, "crcn-edu": 2}, "second": {"crcn": 2, "crcn-edu": 2}},
    "min_items": 2,
    "pilot_items": 0,
    "adaptive_stop": False,
}


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_a_placement_run_with_the_keyboard_only(page: Any, settings: Any, theme: str) -> None:
    settings.CERTEVAL_THEME = theme
    settings.CERTEVAL_PLACEMENT = dict(FOUR)
    make_bank(1)
    enrolment = enrolled()
    sign_in(page, enrolment.candidate.user.email)
    page.goto("/tests-en-ligne/")
    tab_to(page, "el.textContent.trim() === 'Commencer le parcours bilan'")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Question 1 sur 4").wait_for()
    assert_accessible(page)
    for number in range(1, 5):
        tab_to(page, "el.name === 'choice'")
        page.keyboard.press("Space")
        page.keyboard.press("Enter")
        if number < 4:
            page.get_by_role("heading", name=f"Question {number + 1} sur 4").wait_for()
            # The focus is on the new question's heading: the next Tab goes on from there.
            assert page.evaluate("document.activeElement.tagName") == "H2"
    page.wait_for_url("**/resultat/")
    page.get_by_role("heading", name="Résultat du parcours bilan").wait_for()
    expect(page.get_by_text("Niveau visé proposé")).to_be_visible()
    assert page.get_by_role(
        "table", name="Compétences : questions, réponses justes, niveau estimé et statut"
    ).is_visible()
    assert_accessible(page)
    run = Run.objects.get()
    assert run.status == Run.Status.FINISHED
    assert run.questions.filter(answered_at__isnull=False).count() == 4
