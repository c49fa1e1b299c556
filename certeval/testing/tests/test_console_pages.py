"""The invigilator console and the organiser's pages, through HTTP: opening a console with the session's
password (throttled), every action on a candidate with and without htmx, every bad input answered with a
French message (never a 500), live alerts, incidents, finalisation, the organiser's set-up and
decisions."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import CampaignRole, Session
from certeval.campaigns.tests.factories import SessionFactory, UserFactory, organiser_of
from certeval.testing import console_services as console
from certeval.testing import sitting_services as candidate
from certeval.testing.models import (
    AutomatedResult,
    CampaignDelivery,
    Incident,
    LiveAlert,
    ProctoringEvent,
    SessionDelivery,
    Sitting,
)
from certeval.testing.tests.factories import academy
from certeval.testing.tests.sitting_factories import ProctoredSession, proctored_session
from certeval.testing.tests.test_sittings import _answer, _authorised, _joined, _pending

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def short_tests(settings: Any) -> None:
    settings.CERTEVAL_DELIVERY = {**settings.CERTEVAL_DELIVERY, "min_answered": 4}
    cache.clear()


@pytest.fixture
def ps() -> ProctoredSession:
    return proctored_session(2)


def invigilator_of(ps: ProctoredSession) -> Any:
    user = UserFactory(first_name="Camille", last_name="Surveillante")
    CampaignRole.objects.create(
        campaign=ps.session.campaign, user=user, role="invigilator", session=ps.session
    )
    return user


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(ps: ProctoredSession, tail: str = "") -> str:
    return f"/surveillance/{ps.delivery.pk}/{tail}"


def sitting(ps: ProctoredSession, index: int = 0) -> Sitting:
    return Sitting.objects.get(session=ps.delivery, enrolment=ps.enrolments[index])


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def started(ps: ProctoredSession, index: int = 0) -> tuple[Sitting, str]:
    s, tab = _authorised(ps, index)
    candidate.start(sitting_id=s.pk, tab=tab)
    s.refresh_from_db()
    return s, tab


# --- opening the console -----------------------------------------------------------------------------


def test_the_index_lists_the_invigilators_sessions_and_offers_the_password_form(ps: ProctoredSession) -> None:
    page = text(signed_in(invigilator_of(ps)).get("/surveillance/"))
    assert ps.session.label in page and f'href="/surveillance/{ps.delivery.pk}/"' in page
    anonymous = Client().get(f"/surveillance/?session={ps.delivery.pk}")
    assert anonymous.status_code == 200
    assert "Mot de passe surveillant" in text(anonymous) and f'value="{ps.delivery.pk}"' in text(anonymous)


def test_a_room_computer_opens_the_console_with_the_password_for_that_session_only(
    ps: ProctoredSession,
) -> None:
    other = proctored_session(1, bank=False)
    client = Client()
    assert client.get(url(ps))["Location"] == f"/surveillance/?session={ps.delivery.pk}"
    code = ps.delivery.invigilator_code.lower().replace("-", " ")
    response = client.post(
        "/surveillance/ouvrir/", {"number": ps.delivery.pk, "password": code, "name": "  Jeanne   Martin "}
    )
    assert response.status_code == 302 and response["Location"] == url(ps)
    page = text(client.get(url(ps)))
    assert "Vos actions sont enregistrées au nom de Jeanne Martin." in page
    assert ps.delivery.access_code in page
    # The grant is for that session only.
    assert client.get(f"/surveillance/{other.delivery.pk}/").status_code == 302
    # Each action carries the name typed.
    s = sitting(ps)
    client.post(url(ps, f"candidats/{s.pk}/presence/"))
    event = ProctoringEvent.objects.get(sitting=s, kind="action")
    assert event.data == {"action": "sitting_present", "by": "Jeanne Martin"}
    opened = AuditEvent.objects.get(action="testing.console_open")
    assert opened.data == {"by": "Jeanne Martin"} and opened.outcome == "done"
    # Leaving forgets the grant on this computer.
    client.post(url(ps, "quitter/"))
    assert client.get(url(ps)).status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": "", "password": "x", "name": "Jeanne"}, "Indiquez le numéro de la session."),
        ({"number": "1", "password": "", "name": "Jeanne"}, "Indiquez le mot de passe surveillant"),
        ({"number": "1", "password": "x", "name": ""}, "Indiquez votre nom"),
        (
            {"number": "999999", "password": "AAAA-BBBB-CCCC", "name": "Jeanne"},
            "mot de passe surveillant incorrect",
        ),
    ],
)
def test_opening_refuses_bad_input_with_a_french_message(
    ps: ProctoredSession, data: dict[str, str], message: str
) -> None:
    response = Client().post("/surveillance/ouvrir/", data)
    assert response.status_code == 200
    assert message in text(response)


def test_wrong_passwords_are_throttled_per_computer(ps: ProctoredSession) -> None:
    client = Client()
    for _ in range(5):
        response = client.post(
            "/surveillance/ouvrir/", {"number": ps.delivery.pk, "password": "WRONG-CODE", "name": "X"}
        )
        assert "Numéro de session ou mot de passe surveillant incorrect." in text(response)
    assert AuditEvent.objects.filter(action="testing.console_open", outcome="refused").count() == 5
    right = {"number": ps.delivery.pk, "password": ps.delivery.invigilator_code, "name": "X"}
    blocked = client.post("/surveillance/ouvrir/", right)
    assert blocked.status_code == 429
    assert "Trop de mots de passe incorrects depuis ce poste" in text(blocked)
    assert client.get(url(ps)).status_code == 302  # no grant
    cache.clear()
    assert client.post("/surveillance/ouvrir/", right).status_code == 302


def test_a_signed_in_person_without_the_session_gets_404(ps: ProctoredSession) -> None:
    other_session = SessionFactory(campaign=ps.session.campaign)
    stranger = UserFactory()
    CampaignRole.objects.create(
        campaign=ps.session.campaign, user=stranger, role="invigilator", session=other_session
    )
    assert signed_in(stranger).get(url(ps)).status_code == 404
    assert signed_in(stranger).post(url(ps, f"candidats/{sitting(ps).pk}/presence/")).status_code == 404
    assert sitting(ps).status == Sitting.Status.NOT_ARRIVED


# --- the console -------------------------------------------------------------------------------------


def test_the_console_shows_every_candidate_with_state_connection_events_and_accommodations(
    ps: ProctoredSession,
) -> None:
    ps.enrolments[0].extra_time_percent = 33
    ps.enrolments[0].save()
    s, tab = started(ps)
    candidate.page_event(sitting_id=s.pk, tab=tab, left=True)
    candidate.page_event(sitting_id=s.pk, tab=tab, left=True)
    client = signed_in(invigilator_of(ps))
    page = text(client.get(url(ps)))
    name = ps.enrolments[0].candidate.display_name
    assert name in page and ps.enrolments[1].candidate.display_name in page
    assert "En cours" in page and "question 1/" in page and "temps restant 199:" in page
    assert "Non arrivé" in page and "Pas encore connecté" in page and "Connecté" in page
    assert "a quitté la page 2 fois" in page
    assert "Temps majoré de 33 %" in page
    assert 'hx-trigger="every 3s"' in page
    live = client.get(url(ps, "direct/"))
    assert live.status_code == 200 and 'id="console-live"' in text(live) and "<html" not in text(live)


def test_a_refresh_closes_a_test_whose_time_is_up(ps: ProctoredSession) -> None:
    s, _tab = started(ps)
    Sitting.objects.filter(pk=s.pk).update(running_since=timezone.now() - timedelta(hours=4))
    page = text(signed_in(ps.organiser).get(url(ps, "direct/")))
    s.refresh_from_db()
    assert s.status == Sitting.Status.FINISHED and s.finish == Sitting.Finish.TIME_UP
    assert "Temps écoulé" in page


def test_the_steps_before_the_start_with_and_without_htmx(ps: ProctoredSession) -> None:
    client = signed_in(invigilator_of(ps))
    s = sitting(ps)
    # Out of order: authorise before the identity check.
    response = client.post(url(ps, f"candidats/{s.pk}/autorisation/"), follow=True)
    assert "Vérifiez d'abord l'identité du candidat." in text(response)
    response = client.post(url(ps, f"candidats/{s.pk}/presence/"))
    assert response.status_code == 302 and response["Location"] == url(ps) + f"#row-{s.pk}"
    # The identity check needs the document type seen.
    response = client.post(url(ps, f"candidats/{s.pk}/identite/"), {f"identite-{s.pk}-document": ""}, **HTMX)
    assert response.status_code == 200
    assert "Choisissez la pièce d'identité présentée." in text(response)
    assert 'hx-swap-oob="innerHTML"' in text(response)
    response = client.post(
        url(ps, f"candidats/{s.pk}/identite/"), {f"identite-{s.pk}-document": "passport"}, **HTMX
    )
    assert "Identité vérifiée : " in text(response)
    s.refresh_from_db()
    assert s.status == Sitting.Status.IDENTITY_CHECKED and s.identity_document == "passport"
    client.post(url(ps, f"candidats/{s.pk}/autorisation/"), **HTMX)
    s.refresh_from_db()
    assert s.status == Sitting.Status.AUTHORISED
    # Twice: the service's message, no error page.
    response = client.post(url(ps, f"candidats/{s.pk}/presence/"), **HTMX)
    assert "La présence de ce candidat est déjà constatée." in text(response)


def test_pause_resume_add_time_and_end(ps: ProctoredSession) -> None:
    s, _tab = started(ps)
    client = signed_in(invigilator_of(ps))
    response = client.post(url(ps, f"candidats/{s.pk}/reprise/"), **HTMX)
    assert "Cette épreuve n'est pas en pause." in text(response)
    client.post(url(ps, f"candidats/{s.pk}/pause/"), **HTMX)
    s.refresh_from_db()
    assert s.status == Sitting.Status.PAUSED
    client.post(url(ps, f"candidats/{s.pk}/reprise/"))
    s.refresh_from_db()
    assert s.status == Sitting.Status.IN_PROGRESS
    # Time needs minutes and a reason; what was typed comes back with the error.
    response = client.post(
        url(ps, f"candidats/{s.pk}/temps/"), {f"temps-{s.pk}-minutes": "10", f"temps-{s.pk}-reason": ""}
    )
    assert response.status_code == 200
    page = text(response)
    assert "Indiquez le motif du temps ajouté." in page and 'value="10"' in page
    assert f'id="more-{s.pk}" class="console-more" open' in page
    response = client.post(
        url(ps, f"candidats/{s.pk}/temps/"), {f"temps-{s.pk}-minutes": "500", f"temps-{s.pk}-reason": "Panne"}
    )
    assert "entre 1 et 120 minutes" in text(response)
    client.post(
        url(ps, f"candidats/{s.pk}/temps/"), {f"temps-{s.pk}-minutes": "10", f"temps-{s.pk}-reason": "Panne"}
    )
    s.refresh_from_db()
    assert s.added_seconds == 600
    # Ending needs a reason and the confirmation.
    response = client.post(url(ps, f"candidats/{s.pk}/arret/"), {f"arret-{s.pk}-reason": "Fraude"}, **HTMX)
    assert "Cochez la case pour confirmer l'arrêt de l'épreuve." in text(response)
    response = client.post(url(ps, f"candidats/{s.pk}/arret/"), {f"arret-{s.pk}-confirm": "on"}, **HTMX)
    assert "Indiquez le motif de l'arrêt de l'épreuve." in text(response)
    s.refresh_from_db()
    assert s.status == Sitting.Status.IN_PROGRESS
    client.post(
        url(ps, f"candidats/{s.pk}/arret/"),
        {f"arret-{s.pk}-reason": "Malaise", f"arret-{s.pk}-confirm": "on"},
    )
    s.refresh_from_db()
    assert s.status == Sitting.Status.ENDED and s.finish_reason == "Malaise"
    response = client.post(url(ps, f"candidats/{s.pk}/pause/"), follow=True)
    assert "Seule une épreuve en cours peut être mise en pause." in text(response)


def test_another_sessions_candidate_or_an_unknown_one_is_refused_with_a_message(ps: ProctoredSession) -> None:
    other = proctored_session(1, bank=False)
    theirs = Sitting.objects.get(session=other.delivery)
    client = signed_in(ps.organiser)
    for sitting_id in (theirs.pk, 999999):
        response = client.post(url(ps, f"candidats/{sitting_id}/presence/"), **HTMX)
        assert response.status_code == 200
        assert "Candidat introuvable dans cette session." in text(response)
    theirs.refresh_from_db()
    assert theirs.status == Sitting.Status.NOT_ARRIVED
    assert client.get(url(ps, f"candidats/{theirs.pk}/messages/")).status_code == 404


def test_messages_with_a_remote_candidate(ps: ProctoredSession) -> None:
    Session.objects.filter(pk=ps.session.pk).update(mode=Session.Mode.REMOTE)
    s, tab = _joined(ps)
    candidate.send_message(sitting_id=s.pk, tab=tab, text="Je n'ai pas de son.")
    client = signed_in(ps.organiser)
    page = text(client.get(url(ps)))
    assert "Je n'ai pas de son." in page and "Temps, arrêt, messages" in page
    response = client.post(url(ps, f"candidats/{s.pk}/message/"), {f"message-{s.pk}-text": ""}, **HTMX)
    assert "Écrivez votre message." in text(response)
    client.post(
        url(ps, f"candidats/{s.pk}/message/"), {f"message-{s.pk}-text": "Vérifiez le volume."}, **HTMX
    )
    conversation = text(client.get(url(ps, f"candidats/{s.pk}/messages/")))
    assert "Je n'ai pas de son." in conversation and "Vérifiez le volume." in conversation


# --- live alerts -------------------------------------------------------------------------------------


def test_a_pending_alert_is_at_the_top_flags_its_candidate_and_blocks_the_resume(
    ps: ProctoredSession,
) -> None:
    s, tab = started(ps)
    reported = _pending(s)
    alert = candidate.report_problem(sitting_id=s.pk, tab=tab, message="L'image ne s'affiche pas")
    client = signed_in(invigilator_of(ps))
    page = text(client.get(url(ps)))
    top = page.index('id="alerts-poll"')
    assert top < page.index('id="console-live"')
    assert 'role="alert"' in page[top : page.index('id="console-live"')]
    assert "1 signalement en attente" in page and "L'image ne s'affiche pas" in page
    assert f"question {reported.position}" in page
    assert "Valider : remplacer la question" in page and "Rejeter" in page
    assert "bloqué : signalement en attente" in page
    # The alerts are redrawn only when they change.
    signature = str(alert.pk)
    assert client.get(url(ps, f"signalements/?vus={signature}")).status_code == 204
    assert "Valider : remplacer la question" in text(client.get(url(ps, "signalements/?vus=0")))
    # A pause then a resume: refused, the alert stays.
    client.post(url(ps, f"candidats/{s.pk}/pause/"), **HTMX)
    response = client.post(url(ps, f"candidats/{s.pk}/reprise/"), **HTMX)
    assert "attend une réponse à son signalement" in text(response)
    assert "Reprise refusée tant que le signalement ci-dessus attend votre réponse." in text(response)
    alert.refresh_from_db()
    assert alert.status == LiveAlert.Status.PENDING
    # Validated: the question is replaced and excluded from scoring.
    response = client.post(url(ps, f"signalements/{alert.pk}/"), {"decision": "valider"}, **HTMX)
    assert "Signalement validé" in text(response)
    assert 'id="alerts-poll" class="console-alerts" hx-swap-oob="true"' in text(response)
    alert.refresh_from_db()
    reported.refresh_from_db()
    assert alert.status == LiveAlert.Status.VALIDATED and not reported.scored
    response = client.post(url(ps, f"signalements/{alert.pk}/"), {"decision": "rejeter"}, **HTMX)
    assert "Ce signalement est déjà traité." in text(response)
    client.post(url(ps, f"candidats/{s.pk}/reprise/"))
    s.refresh_from_db()
    assert s.status == Sitting.Status.IN_PROGRESS
    assert _pending(s).pk != reported.pk


def test_a_dismissed_alert_keeps_the_question_and_bad_decisions_are_refused(ps: ProctoredSession) -> None:
    s, tab = started(ps)
    reported = _pending(s)
    alert = candidate.report_problem(sitting_id=s.pk, tab=tab)
    client = signed_in(ps.organiser)
    response = client.post(url(ps, f"signalements/{alert.pk}/"), {"decision": "peut-etre"}, follow=True)
    assert "Choisissez : valider le signalement ou le rejeter." in text(response)
    response = client.post(url(ps, "signalements/999999/"), {"decision": "rejeter"}, follow=True)
    assert "Signalement introuvable." in text(response)
    client.post(url(ps, f"signalements/{alert.pk}/"), {"decision": "rejeter"})
    alert.refresh_from_db()
    assert alert.status == LiveAlert.Status.DISMISSED
    assert _pending(s).pk == reported.pk


# --- incidents and finalisation ----------------------------------------------------------------------


def test_reporting_an_incident(ps: ProctoredSession) -> None:
    s = sitting(ps)
    other = Sitting.objects.get(session=proctored_session(1, bank=False).delivery)
    client = signed_in(invigilator_of(ps))
    bad = [
        ({"category": "", "description": "x"}, "Choisissez la catégorie de l'incident."),
        ({"category": "question", "sitting": s.pk, "description": "x"}, "Indiquez le numéro de la question"),
        ({"category": "fraud", "description": ""}, "Décrivez l'incident."),
        ({"category": "fraud", "sitting": other.pk, "description": "x"}, "Sélectionnez un choix valide"),
    ]
    for data, message in bad:
        response = client.post(url(ps, "incidents/"), data)
        assert response.status_code == 200 and message in text(response), message
    assert not Incident.objects.exists()
    client.post(
        url(ps, "incidents/"),
        {
            "category": "question",
            "sitting": s.pk,
            "question_number": "3",
            "description": "Deux réponses justes.",
        },
    )
    incident = Incident.objects.get()
    assert (incident.sitting, incident.question_number, incident.category) == (s, 3, "question")
    page = text(client.get(url(ps)))
    assert "Problème sur une question" in page and "En attente de la décision de l'organisateur" in page


def test_finalisation_refused_while_tests_run_then_held_then_read_only(ps: ProctoredSession) -> None:
    s, tab = started(ps)
    client = signed_in(invigilator_of(ps))
    page = text(client.get(url(ps, "finalisation/")))
    assert "1 épreuve encore en cours" in page and ps.enrolments[1].candidate.display_name in page
    response = client.post(url(ps, "finalisation/"), {"absentees_confirmed": "on", "comment": ""})
    assert "épreuve(s) encore en cours" in text(response)
    for _ in range(200):
        s.refresh_from_db()
        if s.status != Sitting.Status.IN_PROGRESS:
            break
        _answer(s, tab)
    console.report_incident(
        delivery=ps.delivery, category="fraud", description="Téléphone.", sitting_id=s.pk, who=ps.invigilator
    )
    response = client.post(url(ps, "finalisation/"), {"comment": "RAS"})
    assert "Confirmez la liste des absents." in text(response)
    response = client.post(
        url(ps, "finalisation/"), {"absentees_confirmed": "on", "comment": "Calme."}, follow=True
    )
    page = text(response)
    assert "Session finalisée" in page
    assert "Résultats en attente : 1 incident(s) à décider par l'organisateur." in page
    assert not AutomatedResult.objects.exists()
    assert "Signaler un incident" not in page and 'hx-trigger="every 3s"' not in page
    assert sitting(ps, 1).status == Sitting.Status.ABSENT
    # Read-only: every write says so.
    response = client.post(url(ps, f"candidats/{sitting(ps, 1).pk}/presence/"), **HTMX)
    assert "La session est finalisée : elle ne peut plus changer." in text(response)
    response = client.post(url(ps, "incidents/"), {"category": "other", "description": "x"})
    assert "La session est finalisée : elle ne peut plus changer." in text(response)
    response = client.post(url(ps, "finalisation/"), {"absentees_confirmed": "on"})
    assert response.status_code == 200 and "Session finalisée le" in text(response)


# --- the organiser's pages ---------------------------------------------------------------------------


def test_the_organiser_opens_a_session_online_and_sees_its_codes() -> None:
    ps = proctored_session(1)
    later = SessionFactory(campaign=ps.session.campaign, label="Session du soir")
    client = signed_in(ps.organiser)
    page = text(client.get(f"/surveillance/campagne/{ps.session.campaign_id}/"))
    assert ps.delivery.access_code in page and ps.delivery.invigilator_code in page
    assert "Ouvrir la session en ligne" in page
    response = client.post(
        f"/surveillance/campagne/{ps.session.campaign_id}/sessions/{later.pk}/ouvrir/", follow=True
    )
    delivery = SessionDelivery.objects.get(session=later)
    assert delivery.access_code in text(response) and f"/surveillance/{delivery.pk}/" in text(response)
    # The campaign page links here.
    campaign_page = text(client.get(f"/campagnes/{ps.session.campaign_id}/"))
    assert f"/surveillance/campagne/{ps.session.campaign_id}/" in campaign_page
    assert "Épreuves surveillées" in campaign_page


def test_the_delivery_settings(ps: ProctoredSession) -> None:
    client = signed_in(ps.organiser)
    target = f"/surveillance/campagne/{ps.session.campaign_id}/reglages/"
    good = {
        "form": "adaptive",
        "min_answered": "10",
        "abandonment": "void",
        "retention_days": "60",
        "max_questions": "12",
    }
    response = client.post(target, {**good, "min_answered": "0", "form": "autre"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text(response)
    client.post(target, good)
    settings_ = CampaignDelivery.objects.get(campaign_id=ps.session.campaign_id)
    assert (
        settings_.form,
        settings_.min_answered,
        settings_.abandonment,
        settings_.retention_days,
        settings_.max_questions,
    ) == ("adaptive", 10, "void", 60, 12)
    assert AuditEvent.objects.filter(action="testing.delivery_settings").count() == 1
    client.post(target, {**good, "form": "level"})
    started(ps)
    response = client.post(target, {**good, "min_answered": "12"})
    assert "Des épreuves de cette campagne ont commencé" in text(response)
    response = client.post(target, {**good, "form": "level", "max_questions": ""})
    assert "Des épreuves de cette campagne ont commencé" in text(response)
    settings_.refresh_from_db()
    assert (settings_.form, settings_.min_answered, settings_.retention_days) == ("level", 10, 60)
    response = client.post(target, {**good, "form": "level", "retention_days": "90"})
    assert response.status_code == 302
    settings_.refresh_from_db()
    assert settings_.retention_days == 90


def _finished_with_incident(ps: ProctoredSession, **incident: Any) -> Incident:
    s, tab = started(ps)
    for _ in range(200):
        s.refresh_from_db()
        if s.status != Sitting.Status.IN_PROGRESS:
            break
        _answer(s, tab)
    made = console.report_incident(delivery=ps.delivery, who=ps.invigilator, **incident)
    console.finalise(delivery=ps.delivery, comment="", absentees_confirmed=True, who=ps.invigilator)
    return made


def test_the_organiser_decides_an_incident_with_a_reason_and_the_results_are_recorded(
    ps: ProctoredSession,
) -> None:
    s = sitting(ps)
    incident = _finished_with_incident(
        ps, category="question", sitting_id=s.pk, question_number=2, description="Deux réponses justes."
    )
    client = signed_in(ps.organiser)
    page = text(client.get("/surveillance/incidents/"))
    assert "Problème sur une question" in page and "Deux réponses justes." in page
    assert "niveau obtenu : Confirmé" in page and "Neutraliser la question" in page
    prefix = f"incident-{incident.pk}"
    response = client.post(
        f"/surveillance/incidents/{incident.pk}/decision/",
        {f"{prefix}-decision": "neutralise", f"{prefix}-reason": ""},
    )
    assert response.status_code == 200 and "Indiquez le motif de la décision." in text(response)
    assert 'value="neutralise" id' in text(response) or "checked" in text(response)
    incident.refresh_from_db()
    assert not incident.decision and not AutomatedResult.objects.exists()
    response = client.post(
        f"/surveillance/incidents/{incident.pk}/decision/",
        {f"{prefix}-decision": "neutralise", f"{prefix}-reason": "Question ambiguë."},
        follow=True,
    )
    page = text(response)
    assert "Décision enregistrée : Neutraliser la question." in page and "Résultats enregistrés le" in page
    assert "Question ambiguë." in page and "Aucun incident n'attend de décision." in page
    assert AutomatedResult.objects.get().candidate_id == ps.enrolments[0].candidate_id
    response = client.post(
        f"/surveillance/incidents/{incident.pk}/decision/",
        {f"{prefix}-decision": "keep", f"{prefix}-reason": "Encore."},
        follow=True,
    )
    assert "Cet incident est déjà décidé." in text(response)


def test_a_session_wide_incident_cannot_neutralise_a_question(ps: ProctoredSession) -> None:
    incident = _finished_with_incident(ps, category="technical", description="Coupure réseau.")
    client = signed_in(ps.organiser)
    page = text(client.get("/surveillance/incidents/"))
    assert "Toute la session" in page and "Neutraliser la question" not in page
    prefix = f"incident-{incident.pk}"
    response = client.post(
        f"/surveillance/incidents/{incident.pk}/decision/",
        {f"{prefix}-decision": "neutralise", f"{prefix}-reason": "x"},
    )
    assert "Sélectionnez un choix valide" in text(response)
    client.post(
        f"/surveillance/incidents/{incident.pk}/decision/",
        {f"{prefix}-decision": "keep", f"{prefix}-reason": "Sans effet."},
    )
    incident.refresh_from_db()
    assert incident.decision == "keep" and AutomatedResult.objects.exists()


def test_the_navigation_leads_to_the_console_and_the_incidents(ps: ProctoredSession) -> None:
    invigilator = invigilator_of(ps)
    assert 'href="/surveillance/"' in text(signed_in(invigilator).get("/"))
    # The session's page links to its console.
    session_page = text(signed_in(invigilator).get(f"/campagnes/sessions/{ps.session.pk}/"))
    assert f'href="/surveillance/{ps.delivery.pk}/"' in session_page
    _finished_with_incident(ps, category="other", description="Bruit.")
    home = text(signed_in(ps.organiser).get("/"))
    assert 'href="/surveillance/"' in home and 'href="/surveillance/incidents/"' in home
    # On the incidents page, only its own entry is the current one.
    page = text(signed_in(ps.organiser).get("/surveillance/incidents/"))
    assert 'href="/surveillance/" aria-current' not in page
    assert 'href="/surveillance/incidents/" aria-current="page"' in page


def test_an_organiser_limited_to_the_candidates_academy_decides_its_incidents_but_not_the_sessions(
    ps: ProctoredSession,
) -> None:
    incident = _finished_with_incident(
        ps, category="late-left", sitting_id=sitting(ps).pk, description="Sorti 5 minutes."
    )
    lyon = signed_in(organiser_of(ps.session.campaign, academy=academy("lyon")))
    assert lyon.get(url(ps)).status_code == 404
    assert lyon.get(f"/surveillance/campagne/{ps.session.campaign_id}/").status_code == 404
    assert "Sorti 5 minutes." in text(lyon.get("/surveillance/incidents/"))
    prefix = f"incident-{incident.pk}"
    lyon.post(
        f"/surveillance/incidents/{incident.pk}/decision/",
        {f"{prefix}-decision": "keep", f"{prefix}-reason": "Sortie autorisée."},
    )
    incident.refresh_from_db()
    assert incident.decision == "keep" and AutomatedResult.objects.exists()


def test_the_navigations_incident_check_agrees_with_the_incidents_an_organiser_may_decide(
    ps: ProctoredSession,
) -> None:
    from certeval.campaigns.tests.factories import CampaignFactory
    from certeval.testing.permissions import has_incidents_to_decide, incidents_decidable

    people = [
        ps.organiser,
        organiser_of(ps.session.campaign, academy=academy("lyon")),
        organiser_of(CampaignFactory()),
        UserFactory(is_superuser=True, is_staff=True),
        invigilator_of(ps),
    ]

    def agree() -> list[bool]:
        found = [has_incidents_to_decide(p) for p in people]
        assert found == [incidents_decidable(p).filter(decision="").exists() for p in people]
        return found

    assert agree() == [False] * 5
    incident = _finished_with_incident(
        ps, category="late-left", sitting_id=sitting(ps).pk, description="Sorti 5 minutes."
    )
    assert agree() == [True, True, False, True, False]
    Incident.objects.filter(pk=incident.pk).update(decision="keep")
    assert agree() == [False] * 5
