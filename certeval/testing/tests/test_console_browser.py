"""The invigilator console in the browser: a live alert raised by a candidate appears at the top without
reloading and is validated (the candidate's question is replaced); a session finalised with an
unresolved incident holds its result until an organiser decides the incident. The pages pass axe-core
in both themes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from certeval.campaigns.models import CampaignRole
from certeval.campaigns.tests.factories import UserFactory
from certeval.testing import sitting_services as candidate
from certeval.testing.models import AutomatedResult, Incident, LiveAlert, Sitting
from certeval.testing.tests.sitting_factories import ProctoredSession, proctored_session
from certeval.testing.tests.test_sittings import _answer, _authorised, _pending
from conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def short_tests(settings: Any) -> None:
    settings.CERTEVAL_DELIVERY = {**settings.CERTEVAL_DELIVERY, "min_answered": 4}


def invigilator_of(ps: ProctoredSession) -> Any:
    user = UserFactory(first_name="Camille", last_name="Surveillante")
    CampaignRole.objects.create(
        campaign=ps.session.campaign, user=user, role="invigilator", session=ps.session
    )
    return user


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_a_live_alert_appears_at_the_top_without_reload_and_is_validated(
    page: Any, settings: Any, theme: str
) -> None:
    settings.CERTEVAL_THEME = theme
    ps = proctored_session(2)
    sitting, tab = _authorised(ps)
    candidate.start(sitting_id=sitting.pk, tab=tab)
    reported = _pending(sitting)
    sign_in(page, invigilator_of(ps).email)
    page.goto(f"/surveillance/{ps.delivery.pk}/")
    name = ps.enrolments[0].candidate.display_name
    row = page.locator(f"#row-{sitting.pk}")
    expect(row).to_contain_text("En cours")
    expect(row).to_contain_text("question 1/")
    expect(page.get_by_text("Aucun signalement en attente.")).to_be_visible()
    assert_accessible(page)

    # The candidate reports a problem: the console shows it at the top without a reload.
    page.evaluate("window.__sameDocument = true")
    candidate.report_problem(sitting_id=sitting.pk, tab=tab, message="L'image ne s'affiche pas")
    alert = page.get_by_role("alert").filter(has_text="signalement en attente")
    expect(alert).to_be_visible(timeout=10_000)
    expect(alert).to_contain_text(name)
    expect(alert).to_contain_text(f"question {reported.position}")
    expect(alert).to_contain_text("L'image ne s'affiche pas")
    expect(row).to_contain_text("bloqué : signalement en attente", timeout=10_000)
    assert page.evaluate("window.__sameDocument === true")  # no reload
    # The alerts are above the candidates' table.
    alert_box = page.locator("#alerts-poll").bounding_box()
    table_box = page.locator("#console-live").bounding_box()
    assert alert_box is not None and table_box is not None and alert_box["y"] < table_box["y"]
    assert_accessible(page)

    alert.get_by_role("button", name="Valider : remplacer la question").click()
    expect(page.locator("#console-feedback")).to_contain_text("Signalement validé")
    expect(page.get_by_text("Aucun signalement en attente.")).to_be_visible()
    expect(row).not_to_contain_text("bloqué")
    # The button pressed is gone: the focus is on the candidate's name, where the keyboard goes on.
    expect(page.locator(f"#row-{sitting.pk}-name")).to_be_focused()
    assert page.evaluate("window.__sameDocument === true")
    assert LiveAlert.objects.get().status == LiveAlert.Status.VALIDATED
    reported.refresh_from_db()
    assert not reported.scored
    replacement = _pending(sitting)
    assert replacement.pk != reported.pk and replacement.scored


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_an_unresolved_incident_holds_the_result_until_an_organiser_decides_it(
    page: Any, browser: Any, live_server: Any, settings: Any, theme: str
) -> None:
    settings.CERTEVAL_THEME = theme
    ps = proctored_session(2)
    sitting, tab = _authorised(ps)
    candidate.start(sitting_id=sitting.pk, tab=tab)
    for _ in range(200):
        sitting.refresh_from_db()
        if sitting.status != Sitting.Status.IN_PROGRESS:
            break
        _answer(sitting, tab)
    assert sitting.status == Sitting.Status.FINISHED

    # A room computer: the console opened with the session's number and invigilator password.
    page.goto("/surveillance/")
    assert_accessible(page)
    page.get_by_role("spinbutton", name="N° de session").fill(str(ps.delivery.pk))
    page.get_by_role("textbox", name="Mot de passe surveillant").fill(ps.delivery.invigilator_code)
    page.get_by_label("Votre nom").fill("Jeanne Martin")
    page.get_by_role("button", name="Ouvrir l'espace surveillant").click()
    expect(
        page.get_by_text("Vos actions sont enregistrées au nom de Jeanne Martin.", exact=True)
    ).to_be_visible()

    page.get_by_label("Catégorie").select_option(label="Problème sur une question")
    page.get_by_label("Candidat concerné").select_option(label=ps.enrolments[0].candidate.display_name)
    page.get_by_label("Numéro de la question").fill("2")
    page.get_by_label("Description").fill("Deux réponses semblent justes.")
    page.get_by_role("button", name="Enregistrer l'incident").click()
    expect(page.get_by_text("Incident enregistré")).to_be_visible()

    page.get_by_role("link", name="Finaliser la session").click()
    expect(page.get_by_role("heading", name="Absents")).to_be_visible()
    expect(page.get_by_text(ps.enrolments[1].candidate.display_name)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Je confirme que les candidats listés ci-dessus sont absents").check()
    page.get_by_label("Commentaire du surveillant").fill("Une question contestée.")
    page.get_by_role("button", name="Finaliser la session").click()
    expect(
        page.get_by_text("Résultats en attente : 1 incident(s) à décider par l'organisateur.").first
    ).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer l'incident")).to_have_count(0)
    assert not AutomatedResult.objects.exists()

    organiser = browser.new_context(locale="fr-FR", base_url=live_server.url).new_page()
    sign_in(organiser, ps.organiser.email)
    organiser.goto(f"/surveillance/campagne/{ps.session.campaign_id}/")
    expect(
        organiser.get_by_role("table", name="Sessions de la campagne et leur épreuve en ligne")
    ).to_contain_text(ps.delivery.invigilator_code)
    assert_accessible(organiser)
    organiser.get_by_role("link", name="Incidents à décider").first.click()
    card = organiser.locator(f"#incident-{Incident.objects.get().pk}")
    expect(card).to_contain_text("Problème sur une question")
    expect(card).to_contain_text("Deux réponses semblent justes.")
    expect(card).to_contain_text("niveau obtenu")
    assert_accessible(organiser)
    card.get_by_label("Neutraliser la question").check()
    card.get_by_label("Motif de la décision").fill("Question ambiguë : neutralisée pour ce candidat.")
    card.get_by_role("button", name="Enregistrer la décision").click()
    expect(organiser.get_by_text("Décision enregistrée : Neutraliser la question.")).to_be_visible()
    expect(organiser.get_by_text("Aucun incident n'attend de décision.")).to_be_visible()
    decided = organiser.get_by_role("table", name="Incidents décidés, du plus récent au plus ancien")
    expect(decided).to_contain_text("Question ambiguë")
    assert_accessible(organiser)
    result = AutomatedResult.objects.get()
    assert result.candidate_id == ps.enrolments[0].candidate_id
    assert not sitting.run.questions.get(position=2).scored
    organiser.context.close()
