"""A candidate's proctored test in the browser: joining, the waiting room, the questions and the end with
the keyboard only (Tab, Space, Enter), axe-clean in both themes; a resume after the page is closed (same
question, same remaining time) and a second tab taking over; a remote session's welcome page, messages
and a reported problem handled by the invigilator. The invigilator's actions go through
``console_services``."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from certeval.testing import console_services as console
from certeval.testing.models import LiveAlert, Question, Sitting
from certeval.testing.tests.sitting_factories import ProctoredSession, proctored_session
from conftest import assert_accessible, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _join_with_the_keyboard(page: Any, ps: ProctoredSession) -> Sitting:
    candidate = ps.enrolments[0].candidate
    page.goto("/epreuve/")
    page.get_by_role("heading", name="Rejoindre une épreuve").wait_for()
    assert_accessible(page)
    tab_to(page, "el.name === 'access_code'")
    page.keyboard.type(ps.delivery.access_code.lower())
    tab_to(page, "el.name === 'name'")
    page.keyboard.type(candidate.birth_name)
    tab_to(page, "el.name === 'birth_date'")
    page.keyboard.type(candidate.birth_date.strftime("%d/%m/%Y"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/epreuve/passage/"))
    return Sitting.objects.get(session=ps.delivery, enrolment=ps.enrolments[0])


def _authorise(ps: ProctoredSession, sitting: Sitting) -> None:
    who = ps.invigilator
    console.mark_present(delivery=ps.delivery, sitting_id=sitting.pk, who=who)
    console.check_identity(delivery=ps.delivery, sitting_id=sitting.pk, document="id-card", who=who)
    console.authorise(delivery=ps.delivery, sitting_id=sitting.pk, who=who)


def _answer_with_the_keyboard(page: Any, number: int, total: int) -> None:
    page.get_by_role("heading", name=f"Question {number} sur {total}").wait_for()
    tab_to(page, "el.name === 'choice'")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=f"Question {number + 1} sur {total}").wait_for()
    # The focus is on the new question's heading: the next Tab goes on from there.
    assert page.evaluate("document.activeElement.tagName") == "H2"


def _remaining(page: Any) -> float:
    return float(page.locator("#question-area").get_attribute("data-remaining"))


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_a_candidates_test_with_the_keyboard_only(page: Any, settings: Any, theme: str) -> None:
    settings.CERTEVAL_THEME = theme
    ps = proctored_session(1)
    sitting = _join_with_the_keyboard(page, ps)
    expect(page.get_by_text("En attente du surveillant")).to_be_visible()
    assert_accessible(page)
    _authorise(ps, sitting)
    # The waiting room polls: the start button appears by itself.
    expect(page.get_by_text("Autorisé : vous pouvez commencer", exact=True)).to_be_visible(timeout=10000)
    tab_to(page, 'el.textContent.trim() === "Commencer l\'épreuve"')
    page.keyboard.press("Enter")
    sitting.refresh_from_db()
    page.get_by_role("heading", name=re.compile(r"^Question 1 sur \d+$")).wait_for()
    total = int(page.get_by_role("heading", name=re.compile(r"^Question 1 sur")).inner_text().split()[-1])
    expect(page.locator("#sitting-remaining")).to_have_text(re.compile(r"^2 h 2\d min \d\d s$"))
    assert_accessible(page)
    for number in (1, 2):
        _answer_with_the_keyboard(page, number, total)
    sitting.refresh_from_db()
    answered = Question.objects.filter(run=sitting.run, answered_at__isnull=False)
    assert answered.count() == 2 and all(q.client_key for q in answered)
    assert len({q.client_key for q in answered}) == 2
    tab_to(page, "el.textContent.trim() === 'Terminer mon épreuve'")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Terminer mon épreuve ?").wait_for()
    assert_accessible(page)
    tab_to(page, "el.textContent.trim() === 'Oui, terminer mon épreuve'")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Épreuve terminée").wait_for()
    expect(page.get_by_text("Réponses enregistrées : 2")).to_be_visible()
    assert_accessible(page)
    sitting.refresh_from_db()
    assert sitting.finish == Sitting.Finish.ABANDONED


def test_a_closed_page_resumes_at_the_same_question_and_a_second_tab_takes_over(page: Any) -> None:
    ps = proctored_session(1)
    sitting = _join_with_the_keyboard(page, ps)
    _authorise(ps, sitting)
    page.get_by_role("button", name="Commencer l'épreuve").click(timeout=10000)
    heading = page.get_by_role("heading", name=re.compile(r"^Question 1 sur"))
    total = int(heading.inner_text().split()[-1])
    _answer_with_the_keyboard(page, 1, total)
    key = page.locator("input[name=key]").get_attribute("value")
    before = _remaining(page)
    context = page.context
    page.close()
    # The candidate comes back in the same browser: same question, same remaining time.
    again = context.new_page()
    again.goto("/epreuve/passage/")
    again.get_by_role("heading", name=f"Question 2 sur {total}").wait_for()
    assert again.locator("input[name=key]").get_attribute("value") == key
    assert abs(_remaining(again) - before) < 5
    # A second tab takes the test over; the first says so at its next answer, and can take it back.
    second = context.new_page()
    second.goto("/epreuve/passage/")
    second.get_by_role("heading", name=f"Question 2 sur {total}").wait_for()
    again.get_by_label("Juste").check()
    again.get_by_role("button", name="Valider et continuer").click()
    expect(again.get_by_text("Votre épreuve a été ouverte dans un autre onglet")).to_be_visible()
    assert_accessible(again)
    assert Question.objects.filter(run__sitting=sitting, answered_at__isnull=False).count() == 1
    again.get_by_role("button", name="Reprendre ici").click()
    again.get_by_role("heading", name=f"Question 2 sur {total}").wait_for()
    second.get_by_label("Juste").check()
    second.get_by_role("button", name="Valider et continuer").click()
    expect(second.get_by_text("Votre épreuve a été ouverte dans un autre onglet")).to_be_visible()


def test_a_remote_candidate_reads_the_welcome_writes_and_reports_a_problem(page: Any) -> None:
    ps = proctored_session(1, mode="remote", place="https://visio.example.org/salle-7")
    sitting = _join_with_the_keyboard(page, ps)
    page.get_by_role("heading", name="Bienvenue à votre épreuve à distance").wait_for()
    expect(page.get_by_role("link", name=re.compile("rejoindre la visio"))).to_have_attribute(
        "href", "https://visio.example.org/salle-7"
    )
    assert_accessible(page)
    page.get_by_role("button", name="J'ai lu ces informations, continuer").click()
    page.get_by_role("heading", name="Messages avec le surveillant").wait_for()
    page.get_by_label("Votre message au surveillant").fill("Je suis prêt.")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.locator("#sitting-messages")).to_contain_text("Je suis prêt.")
    expect(page.get_by_label("Votre message au surveillant")).to_have_value("")
    console.send_message(delivery=ps.delivery, sitting_id=sitting.pk, text="Bien reçu.", who=ps.invigilator)
    expect(page.locator("#sitting-messages")).to_contain_text("Bien reçu.", timeout=10000)
    expect(page.locator("#sitting-announce")).to_contain_text("Nouveau message du surveillant")
    assert_accessible(page)
    _authorise(ps, sitting)
    page.get_by_role("button", name="Commencer l'épreuve").click(timeout=10000)
    page.get_by_role("heading", name=re.compile(r"^Question 1 sur")).wait_for()
    reported = Question.objects.get(run__sitting=sitting, answered_at__isnull=True)
    page.get_by_role("link", name="Signaler un problème").click()
    page.get_by_label("Décrivez le problème (facultatif)").fill("Deux propositions semblent justes.")
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(
        page.get_by_text("Votre signalement a été transmis au surveillant ; votre temps est suspendu")
    ).to_be_visible()
    assert_accessible(page)
    alert = LiveAlert.objects.get(sitting=sitting)
    console.handle_alert(delivery=ps.delivery, alert_id=alert.pk, validate=True, who=ps.invigilator)
    # The blocked page polls: back to the test, on the replacement question.
    expect(page.get_by_text("la question a été remplacée")).to_be_visible(timeout=10000)
    replacement = Question.objects.get(run__sitting=sitting, answered_at__isnull=True)
    assert replacement.pk != reported.pk
    assert page.locator("input[name=key]").get_attribute("value") == replacement.idempotency_key


def test_the_countdown_announces_the_last_minute_and_the_end_of_time_leads_to_the_end_page(page: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    ps = proctored_session(1)
    sitting = _join_with_the_keyboard(page, ps)
    _authorise(ps, sitting)
    page.get_by_role("button", name="Commencer l'épreuve").click(timeout=10000)
    page.get_by_role("heading", name=re.compile(r"^Question 1 sur")).wait_for()
    sitting.refresh_from_db()
    # Leaving the page and coming back are recorded (through the page's own requests).
    # Each event is its own request: the return waits until the departure is recorded, as a person's
    # would (two events dispatched in the same instant may reach a loaded server in either order).
    page.evaluate("window.dispatchEvent(new Event('blur'))")
    for _ in range(50):
        if sitting.events.filter(kind="left-page").exists():
            break
        page.wait_for_timeout(100)
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(page.locator("#sitting-remaining")).to_have_text(re.compile(r"^2 h"))
    for _ in range(50):
        if sitting.events.filter(kind__in=["left-page", "back"]).count() == 2:
            break
        page.wait_for_timeout(100)
    assert list(sitting.events.filter(kind__in=["left-page", "back"]).values_list("kind", flat=True)) == [
        "left-page",
        "back",
    ]
    # 62 seconds left: the 1-minute announcement comes by itself, not the 10- and 5-minute ones.
    allowed = sitting.allowed_seconds
    Sitting.objects.filter(pk=sitting.pk).update(
        running_since=timezone.now() - timedelta(seconds=allowed - 62)
    )
    page.reload()
    expect(page.locator("#sitting-announce")).to_have_text("Il reste 1 minute.", timeout=8000)
    # 3 seconds left: the countdown reaches zero, the server closes the test, the page shows the end.
    Sitting.objects.filter(pk=sitting.pk).update(
        running_since=timezone.now() - timedelta(seconds=allowed - 3)
    )
    page.reload()
    page.wait_for_url("**/epreuve/passage/fin/", timeout=15000)
    page.get_by_role("heading", name="Épreuve terminée").wait_for()
    sitting.refresh_from_db()
    assert sitting.finish == Sitting.Finish.TIME_UP
