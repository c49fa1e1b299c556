"""Two jurors score a candidate, the president harmonises and validates; the decision and the
bordereau are right, and axe-core finds no violation on these pages."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from certeval.juries.tests.factories import jury_campaign
from certeval.juries.tests.test_services import CRITERIA
from conftest import assert_accessible
from conftest import sign_in as conftest_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEVEL_POSITION = {"initie": 1, "confirme": 2, "avance": 3, "expert": 4, "non_observable": 5}


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    """Signs out first: a fresh browser context for each person."""
    page.context.clear_cookies()
    conftest_sign_in(page, email)


def choose(page, name: str, level: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(f"label[for='{name}-{LEVEL_POSITION[level]}']").click()


def score_as(page, email: str, candidate: str, level: str) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, email)
    page.goto("/jurys/")
    assert_accessible(page)
    page.get_by_role("link", name=candidate).click()
    assert page.locator("h1").inner_text() == f"Évaluation du dossier — {candidate}"
    assert_accessible(page)
    choose(page, "level-1.1", level)
    expect(page.locator("#save-status")).to_contain_text("Enregistré à")
    page.reload()  # saved as typed: nothing lost when the tab closes
    assert page.locator(f"#level-1\\.1-{LEVEL_POSITION[level]}").is_checked()
    for criterion in CRITERIA[1:]:
        choose(page, f"level-{criterion}", level)
    page.get_by_label("Commentaire sur l'item 1").fill("Stratégie claire et argumentée.")
    page.get_by_role("button", name="Transmettre mon évaluation").click()
    expect(page.get_by_text("Évaluation transmise.")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_two_jurors_score_and_the_president_validates(page, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    jc = jury_campaign(candidates=1)
    candidate = jc.enrolments[0].candidate.display_name
    first, second = jc.jurors[1], jc.jurors[2]

    score_as(page, first.user.email, candidate, "avance")
    assert page.get_by_role("cell", name=second.display_name).count() == 0
    score_as(page, second.user.email, candidate, "expert")
    # After submitting, the second juror sees the first one's scores.
    expect(page.get_by_role("columnheader", name=first.display_name)).to_be_visible()

    sign_in(page, jc.president.email)
    page.goto("/jurys/")
    page.get_by_role("link", name="Harmonisation — Jury 1").click()
    expect(page.locator("#alpha-jury")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=candidate).click()
    assert_accessible(page)
    for criterion in CRITERIA:
        choose(page, f"level-{criterion}", "avance")
    for domain in "12345":
        choose(page, f"oral-{domain}", "avance")
    page.get_by_label("Commentaires sur le domaine 1").fill("Posture réflexive.")
    page.get_by_role("button", name="Enregistrer et calculer les niveaux").click()
    assert "Avancé" in page.locator("#practice-level").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Valider la décision").click()
    expect(page.get_by_text("Décision validée et enregistrée.")).to_be_visible()
    final = page.locator("#final-decision").inner_text()
    assert final.startswith("Confirmé — Certifié")
    assert_accessible(page)

    pdf = page.request.get(page.get_by_role("link", name="Bordereau (PDF)").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Niveau final atteint : Confirmé — Certifié" in text
    assert "Posture réflexive." in text


def test_a_failed_autosave_is_shown_and_the_next_save_keeps_every_choice(page) -> None:  # type: ignore[no-untyped-def]
    jc = jury_campaign(candidates=1)
    juror = jc.jurors[1]
    candidate = jc.enrolments[0].candidate.display_name
    sign_in(page, juror.user.email)
    page.goto("/jurys/")
    page.get_by_role("link", name=candidate).click()
    page.route("**/evaluer/enregistrer/", lambda route: route.abort())
    choose(page, "level-1.1", "expert")
    expect(page.locator("#save-status")).to_contain_text("Échec")
    assert "save-failed" in (page.locator("#save-status").get_attribute("class") or "")
    assert_accessible(page)
    page.unroute("**/evaluer/enregistrer/")
    choose(page, "level-1.2", "avance")
    expect(page.locator("#save-status")).to_contain_text("Enregistré à")
    assert "save-failed" not in (page.locator("#save-status").get_attribute("class") or "")
    page.reload()
    assert page.locator(f"#level-1\\.1-{LEVEL_POSITION['expert']}").is_checked()
    assert page.locator(f"#level-1\\.2-{LEVEL_POSITION['avance']}").is_checked()
