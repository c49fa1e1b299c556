"""The candidate's pages of a proctored test, through Django's test client: joining (and its bad
inputs, rate-limited), the waiting room and its polling, the welcome page of a remote session, the
question page and its answers (idempotent, stale, taken over, after the end of time), the heartbeat,
« Signaler un problème », the pause, the messages, « Terminer mon épreuve » and the end page. No state
and no bad input ends in a server error."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from certeval.testing import console_services as console
from certeval.testing.models import LiveAlert, ProctoringEvent, Question, Sitting, SittingMessage
from certeval.testing.tests.sitting_factories import ProctoredSession, proctored_session

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def tab_of(response: Any) -> str:
    return parse_qs(urlparse(response["Location"]).query)["onglet"][0]


def join(client: Client, ps: ProctoredSession, index: int = 0) -> tuple[Sitting, str]:
    candidate = ps.enrolments[index].candidate
    response = client.post(
        "/epreuve/",
        {
            "access_code": ps.delivery.access_code.lower(),
            "name": candidate.birth_name,
            "birth_date": candidate.birth_date.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302, response.content[:500]
    sitting = Sitting.objects.get(session=ps.delivery, enrolment=ps.enrolments[index])
    return sitting, tab_of(response)


def authorise(ps: ProctoredSession, sitting: Sitting) -> None:
    who = ps.invigilator
    console.check_identity(delivery=ps.delivery, sitting_id=sitting.pk, document="passport", who=who)
    console.authorise(delivery=ps.delivery, sitting_id=sitting.pk, who=who)


def started(client: Client, ps: ProctoredSession, index: int = 0) -> tuple[Sitting, str]:
    sitting, tab = join(client, ps, index)
    authorise(ps, sitting)
    response = client.post("/epreuve/passage/commencer/", {"tab": tab})
    assert response.status_code == 302
    sitting.refresh_from_db()
    assert sitting.status == Sitting.Status.IN_PROGRESS
    return sitting, tab


def pending(sitting: Sitting) -> Question:
    return Question.objects.get(run=sitting.run, answered_at__isnull=True)


def page(client: Client, tab: str, **extra: Any) -> Any:
    return client.get(f"/epreuve/passage/?onglet={tab}", **extra)


def answer(client: Client, sitting: Sitting, tab: str, **extra: Any) -> tuple[Question, Any]:
    question = pending(sitting)
    response = client.post(
        "/epreuve/passage/reponse/",
        {
            "key": question.idempotency_key,
            "tab": tab,
            "choice": "a",
            "client_key": "k-" + question.idempotency_key[:8],
        },
        **extra,
    )
    return question, response


def test_a_candidate_joins_waits_starts_and_answers() -> None:
    ps = proctored_session(1)
    client = Client()
    form = client.get("/epreuve/")
    assert form.status_code == 200
    body = form.content.decode()
    assert "Rejoindre une épreuve" in body and 'autocomplete="off"' in body
    sitting, tab = join(client, ps)
    waiting = page(client, tab)
    assert waiting.status_code == 200
    assert "En attente du surveillant" in waiting.content.decode()
    # Polling: nothing changed → 204; a step → the new state, announced.
    poll = f"/epreuve/passage/etat/?etat=not-arrived&onglet={tab}"
    assert client.get(poll, **HX).status_code == 204
    console.mark_present(delivery=ps.delivery, sitting_id=sitting.pk, who=ps.invigilator)
    step = client.get(poll, **HX)
    assert step.status_code == 200 and "Présence constatée" in step.content.decode()
    assert 'hx-swap-oob="innerHTML"' in step.content.decode()
    authorise(ps, sitting)
    ready = client.get(f"/epreuve/passage/etat/?etat=identity&onglet={tab}", **HX).content.decode()
    assert "Autorisé : vous pouvez commencer" in ready and "Commencer l&#x27;épreuve" in ready
    client.post("/epreuve/passage/commencer/", {"tab": tab})
    # Once started, the waiting room's poll sends the page to the question.
    moved = client.get(f"/epreuve/passage/etat/?etat=authorised&onglet={tab}", **HX)
    assert moved.status_code == 200 and moved["HX-Redirect"].startswith("/epreuve/passage/?onglet=")
    sitting.refresh_from_db()
    question_page = page(client, tab).content.decode()
    assert "Question 1 sur" in question_page and "Temps restant" in question_page
    assert 'name="client_key"' in question_page and f'value="{tab}"' in question_page
    assert "Signaler un problème" in question_page and "Terminer mon épreuve" in question_page
    first, response = answer(client, sitting, tab)
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.answered_at is not None and first.client_key.startswith("k-")
    assert "Question 2 sur" in page(client, tab).content.decode()


def test_a_wrong_code_name_or_date_gives_one_french_error_and_no_sitting() -> None:
    ps = proctored_session(1)
    candidate = ps.enrolments[0].candidate
    client = Client()
    for code, name, born in (
        ("NOPE1234", candidate.birth_name, candidate.birth_date.strftime("%d/%m/%Y")),
        (ps.delivery.access_code, "Personne", candidate.birth_date.strftime("%d/%m/%Y")),
        (ps.delivery.access_code, candidate.birth_name, "01/01/1900"),
    ):
        response = client.post("/epreuve/", {"access_code": code, "name": name, "birth_date": born})
        assert response.status_code == 200
        assert "Code d&#x27;accès, nom ou date de naissance incorrect" in response.content.decode()
    bad = client.post("/epreuve/", {"access_code": "", "name": "", "birth_date": "31/02/1990"})
    text = bad.content.decode()
    assert bad.status_code == 200 and "Indiquez le code d&#x27;accès" in text and "JJ/MM/AAAA" in text
    assert not Sitting.objects.filter(joined_at__isnull=False).exists()
    assert client.get("/epreuve/passage/").status_code == 302


def test_refused_joins_are_limited_per_address(settings: Any) -> None:
    settings.CERTEVAL_DELIVERY = {**settings.CERTEVAL_DELIVERY, "join_attempts": 3}
    ps = proctored_session(1)
    candidate = ps.enrolments[0].candidate
    client = Client()
    wrong = {"access_code": "NOPE1234", "name": "X", "birth_date": "01/01/1990"}
    for _ in range(3):
        assert client.post("/epreuve/", wrong).status_code == 200
    limited = client.post(
        "/epreuve/",
        {
            "access_code": ps.delivery.access_code,
            "name": candidate.birth_name,
            "birth_date": candidate.birth_date.strftime("%d/%m/%Y"),
        },
    )
    assert limited.status_code == 429 and "Trop de tentatives" in limited.content.decode()
    # Another address is not limited.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/epreuve/", wrong).status_code == 200


def test_a_double_submission_stores_one_answer_and_htmx_gets_the_next_question() -> None:
    ps = proctored_session(1)
    client = Client()
    sitting, tab = started(client, ps)
    question = pending(sitting)
    data = {"key": question.idempotency_key, "tab": tab, "choice": "a", "client_key": "one"}
    first = client.post("/epreuve/passage/reponse/", data, **HX)
    again = client.post("/epreuve/passage/reponse/", data, **HX)
    assert first.status_code == again.status_code == 200
    assert "Question 2 sur" in first.content.decode() and "Question 2 sur" in again.content.decode()
    assert Question.objects.filter(run=sitting.run, answered_at__isnull=False).count() == 1


def test_a_stale_key_or_an_empty_answer_shows_the_current_question_with_a_french_message() -> None:
    ps = proctored_session(1)
    client = Client()
    sitting, tab = started(client, ps)
    stale = client.post("/epreuve/passage/reponse/", {"key": "old", "tab": tab, "choice": "a"})
    assert stale.status_code == 200 and "plus à jour" in stale.content.decode()
    question = pending(sitting)
    empty = client.post("/epreuve/passage/reponse/", {"key": question.idempotency_key, "tab": tab})
    assert empty.status_code == 200 and "Choisissez une proposition" in empty.content.decode()
    tampered = client.post(
        "/epreuve/passage/reponse/", {"key": question.idempotency_key, "tab": tab, "choice": "z"}
    )
    assert tampered.status_code == 200 and "n&#x27;existe pas" in tampered.content.decode()
    assert not Question.objects.filter(run=sitting.run, answered_at__isnull=False).exists()
    skipped = client.post(
        "/epreuve/passage/reponse/", {"key": question.idempotency_key, "tab": tab, "skip": "1"}
    )
    assert skipped.status_code == 302


def test_a_second_tab_takes_over_and_the_first_says_so() -> None:
    ps = proctored_session(1)
    client = Client()
    sitting, first_tab = started(client, ps)
    # A page opened without the active tab's token takes the test over.
    opened = client.get("/epreuve/passage/")
    assert opened.status_code == 302
    second_tab = tab_of(opened)
    assert second_tab != first_tab
    assert ProctoringEvent.objects.filter(sitting=sitting, kind="takeover").count() == 1
    question, lost = answer(client, sitting, first_tab, **HX)
    assert lost["HX-Redirect"] == "/epreuve/passage/autre-onglet/?reponse=1"
    question.refresh_from_db()
    assert question.answered_at is None
    beat = client.post("/epreuve/passage/pouls/", {"tab": first_tab})
    assert beat.status_code == 409 and beat.json()["state"] == "takeover"
    poll = client.get(f"/epreuve/passage/etat/?etat=question&onglet={first_tab}", **HX)
    assert poll["HX-Redirect"] == "/epreuve/passage/autre-onglet/"
    shown = client.get("/epreuve/passage/autre-onglet/?reponse=1").content.decode()
    assert "Votre épreuve a été ouverte dans un autre onglet" in shown and "Reprendre ici" in shown
    assert "a pas été enregistrée" in shown
    back = client.post("/epreuve/passage/reprendre/")
    assert back.status_code == 302
    third_tab = tab_of(back)
    assert client.post("/epreuve/passage/pouls/", {"tab": second_tab}).status_code == 409
    _q, ok = answer(client, sitting, third_tab)
    assert ok.status_code == 302


def test_closing_the_tab_resumes_at_the_same_question_with_the_same_time() -> None:
    ps = proctored_session(1)
    client = Client()
    sitting, tab = started(client, ps)
    answer(client, sitting, tab)
    question = pending(sitting)
    before = client.post("/epreuve/passage/pouls/", {"tab": tab}).json()["remaining"]
    reopened = client.get(page(client, "")["Location"])  # a new tab: no token
    body = reopened.content.decode()
    assert question.idempotency_key in body and "Question 2 sur" in body
    new_tab = tab_of(client.get("/epreuve/passage/"))
    after = client.post("/epreuve/passage/pouls/", {"tab": new_tab}).json()
    assert after["state"] == "question" and abs(after["remaining"] - before) < 3


def test_the_heartbeat_says_the_time_left_and_closes_the_test_when_time_is_up() -> None:
    ps = proctored_session(1)
    client = Client()
    sitting, tab = started(client, ps)
    beat = client.post("/epreuve/passage/pouls/", {"tab": tab}).json()
    assert beat["state"] == "question" and 150 * 60 - 5 < beat["remaining"] <= 150 * 60
    Sitting.objects.filter(pk=sitting.pk).update(running_since=timezone.now() - timedelta(hours=3))
    over = client.post("/epreuve/passage/pouls/", {"tab": tab}).json()
    assert over == {"state": "ended", "remaining": 0.0, "url": "/epreuve/passage/fin/"}
    sitting.refresh_from_db()
    assert sitting.finish == Sitting.Finish.TIME_UP
    assert page(client, tab)["Location"] == "/epreuve/passage/fin/"
    end = client.get("/epreuve/passage/fin/").content.decode()
    assert "Épreuve terminée" in end and "Réponses enregistrées : 0" in end and "Temps écoulé" in end


def test_an_answer_after_the_end_of_time_goes_to_the_end_page() -> None:
    ps = proctored_session(1)
    client = Client()
    sitting, tab = started(client, ps)
    answer(client, sitting, tab)
    Sitting.objects.filter(pk=sitting.pk).update(running_since=timezone.now() - timedelta(hours=3))
    question, late = answer(client, sitting, tab)
    assert late.status_code == 302 and late["Location"] == "/epreuve/passage/fin/"
    question.refresh_from_db()
    assert question.answered_at is None
    sitting.refresh_from_db()
    assert sitting.status == Sitting.Status.FINISHED
    end = client.get("/epreuve/passage/fin/").content.decode()
    assert "Le temps est écoulé" in end and "Réponses enregistrées : 1" in end


def test_a_reported_problem_blocks_until_handled_then_the_replacement_is_shown() -> None:
    ps = proctored_session(1)
    client = Client()
    sitting, tab = started(client, ps)
    reported = pending(sitting)
    form = client.get(f"/epreuve/passage/signaler/?onglet={tab}")
    assert form.status_code == 200 and "Décrivez le problème" in form.content.decode()
    sent = client.post("/epreuve/passage/signaler/", {"tab": tab, "message": "L'image manque"})
    assert sent.status_code == 302
    blocked = page(client, tab).content.decode()
    assert "Votre signalement a été transmis au surveillant ; votre temps est suspendu" in blocked
    assert "L&#x27;image manque" in blocked
    # Answering, reporting again or opening the question is refused while blocked: the blocked page.
    _q, refused = answer(client, sitting, tab)
    assert refused.status_code == 302 and refused["Location"].startswith("/epreuve/passage/?onglet=")
    assert client.get(f"/epreuve/passage/signaler/?onglet={tab}").status_code == 302
    poll = f"/epreuve/passage/etat/?etat=blocked&onglet={tab}"
    assert client.get(poll, **HX).status_code == 204
    alert = LiveAlert.objects.get()
    console.handle_alert(delivery=ps.delivery, alert_id=alert.pk, validate=True, who=ps.invigilator)
    console_back = client.get(poll, **HX)
    assert console_back["HX-Redirect"] == f"/epreuve/passage/?onglet={tab}"
    shown = page(client, tab).content.decode()
    assert "la question a été remplacée" in shown
    replacement = pending(sitting)
    assert replacement.pk != reported.pk and replacement.idempotency_key in shown


def test_a_paused_test_shows_the_pause_and_comes_back_when_resumed() -> None:
    ps = proctored_session(1)
    client = Client()
    sitting, tab = started(client, ps)
    console.pause(delivery=ps.delivery, sitting_id=sitting.pk, who=ps.invigilator)
    paused = page(client, tab).content.decode()
    assert "Épreuve en pause — attendez le surveillant" in paused
    question, refused = answer(client, sitting, tab)
    assert refused.status_code == 302
    question.refresh_from_db()
    assert question.answered_at is None
    beat = client.post("/epreuve/passage/pouls/", {"tab": tab}).json()
    assert beat["state"] == "paused" and beat["url"] == f"/epreuve/passage/?onglet={tab}"
    poll = f"/epreuve/passage/etat/?etat=paused&onglet={tab}"
    assert client.get(poll, **HX).status_code == 204
    console.resume(delivery=ps.delivery, sitting_id=sitting.pk, who=ps.invigilator)
    assert client.get(poll, **HX)["HX-Redirect"] == f"/epreuve/passage/?onglet={tab}"
    assert "Le surveillant a repris votre épreuve" in page(client, tab).content.decode()


def test_abandon_asks_for_confirmation_then_ends_the_test() -> None:
    ps = proctored_session(1)
    client = Client()
    sitting, tab = started(client, ps)
    answer(client, sitting, tab)
    confirm = client.get(f"/epreuve/passage/terminer/?onglet={tab}").content.decode()
    assert "ne compteront pas" in confirm and "Réponses enregistrées : 1" in confirm
    done = client.post("/epreuve/passage/terminer/", {"tab": tab})
    assert done["Location"] == "/epreuve/passage/fin/"
    sitting.refresh_from_db()
    assert sitting.finish == Sitting.Finish.ABANDONED
    end = client.get("/epreuve/passage/fin/").content.decode()
    assert "Réponses enregistrées : 1" in end and "une fois la session finalisée" in end
    # Everything else leads to the end page now.
    assert client.post("/epreuve/passage/terminer/", {"tab": tab})["Location"] == "/epreuve/passage/fin/"
    assert page(client, tab)["Location"] == "/epreuve/passage/fin/"
    _q = client.post("/epreuve/passage/reponse/", {"key": "x", "tab": tab, "choice": "a"})
    assert _q["Location"] == "/epreuve/passage/fin/"
    # Leaving the shared computer: the next candidate starts from the join page.
    assert client.post("/epreuve/quitter/")["Location"] == "/epreuve/"
    assert client.get("/epreuve/passage/fin/")["Location"] == "/epreuve/"


def test_a_remote_session_shows_the_welcome_page_and_the_messages() -> None:
    ps = proctored_session(1, mode="remote", place="https://visio.example.org/session-42")
    client = Client()
    sitting, tab = join(client, ps)
    assert page(client, tab)["Location"] == "/epreuve/passage/accueil/"
    welcome = client.get("/epreuve/passage/accueil/").content.decode()
    for text in (
        "2 h 30",
        "64 questions",
        "30 min",
        "45 min",
        "1 h 45",
        "CRCN-Édu",
        "https://visio.example.org/session-42",
    ):
        assert text in welcome, text
    assert client.post("/epreuve/passage/accueil/")["Location"] == "/epreuve/passage/"
    waiting = page(client, tab).content.decode()
    assert "Messages avec le surveillant" in waiting
    sent = client.post("/epreuve/passage/messages/", {"tab": tab, "text": "Bonjour, le son coupe."}, **HX)
    assert sent.status_code == 200 and "Bonjour, le son coupe." in sent.content.decode()
    empty = client.post("/epreuve/passage/messages/", {"tab": tab, "text": "  "}, **HX)
    assert "Écrivez votre message" in empty.content.decode()
    poll = f"/epreuve/passage/messages/?n=1&onglet={tab}"
    assert client.get(poll, **HX).status_code == 204
    console.send_message(
        delivery=ps.delivery, sitting_id=sitting.pk, text="Je vous entends.", who=ps.invigilator
    )
    reply = client.get(poll, **HX).content.decode()
    assert "Je vous entends." in reply and "Nouveau message du surveillant" in reply
    assert SittingMessage.objects.count() == 2
    authorise(ps, sitting)
    client.post("/epreuve/passage/commencer/", {"tab": tab})
    assert "Messages avec le surveillant" in page(client, tab).content.decode()


def test_leaving_the_page_is_recorded_never_refused() -> None:
    ps = proctored_session(1)
    client = Client()
    sitting, tab = started(client, ps)
    assert client.post("/epreuve/passage/page/", {"tab": tab, "left": "1"}).status_code == 204
    assert client.post("/epreuve/passage/page/", {"tab": tab, "left": "0"}).status_code == 204
    assert client.post("/epreuve/passage/page/", {"tab": "other", "left": "1"}).status_code == 204
    kinds = list(sitting.events.filter(kind__in=["left-page", "back"]).values_list("kind", flat=True))
    assert kinds == ["left-page", "back"]


def test_the_read_aloud_button_follows_the_accommodations() -> None:
    from certeval.testing.models import TestProfile

    ps = proctored_session(1)
    TestProfile.objects.create(candidate=ps.enrolments[0].candidate, needs=["screen-reader"])
    client = Client()
    _sitting, tab = started(client, ps)
    assert "Lire la question à voix haute" in page(client, tab).content.decode()
    other = proctored_session(1, bank=False)
    client = Client()
    _sitting, tab = started(client, other)
    assert "Lire la question à voix haute" not in page(client, tab).content.decode()


def test_a_finalised_session_refuses_joins_and_shows_an_absent_candidate_their_end_page() -> None:
    ps = proctored_session(2)
    client = Client()
    sitting, tab = join(client, ps)
    console.finalise(delivery=ps.delivery, comment="", absentees_confirmed=True, who=ps.invigilator)
    sitting.refresh_from_db()
    assert sitting.status == Sitting.Status.ABSENT
    assert page(client, tab)["Location"] == "/epreuve/passage/fin/"
    end = client.get("/epreuve/passage/fin/").content.decode()
    assert "vous êtes noté absent" in end
    candidate = ps.enrolments[1].candidate
    closed = Client().post(
        "/epreuve/",
        {
            "access_code": ps.delivery.access_code,
            "name": candidate.birth_name,
            "birth_date": candidate.birth_date.strftime("%d/%m/%Y"),
        },
    )
    assert closed.status_code == 200 and "Cette session est close." in closed.content.decode()


def test_the_join_page_offers_to_come_back_to_a_joined_test() -> None:
    ps = proctored_session(1)
    client = Client()
    join(client, ps)
    assert "Revenir à cette épreuve" in client.get("/epreuve/").content.decode()
    assert "Revenir à cette épreuve" not in Client().get("/epreuve/").content.decode()


def test_bad_inputs_never_give_a_server_error() -> None:
    ps = proctored_session(1)
    client = Client()
    sitting, tab = started(client, ps)
    long = "x" * 5000
    too_long = client.post("/epreuve/passage/signaler/", {"tab": tab, "message": long})
    assert too_long.status_code == 200 and "500 caractères au plus" in too_long.content.decode()
    answers = [
        client.post("/epreuve/", {"access_code": long, "name": long, "birth_date": long}).status_code,
        client.post("/epreuve/", {"access_code": "ÉÇ-†", "name": "", "birth_date": "00/00/0000"}).status_code,
        client.post("/epreuve/passage/reponse/", {}).status_code,
        client.post("/epreuve/passage/reponse/", {"key": long, "tab": long, "client_key": long}).status_code,
        client.post("/epreuve/passage/pouls/", {}).status_code,
        client.post("/epreuve/passage/page/", {"left": long}).status_code,
        client.get("/epreuve/passage/etat/", **HX).status_code,
        client.get(f"/epreuve/passage/etat/?etat={long}&onglet={tab}", **HX).status_code,
        client.get(f"/epreuve/passage/messages/?n=abc&onglet={tab}", **HX).status_code,
        client.post("/epreuve/passage/messages/", {"tab": tab, "text": long}, **HX).status_code,
        client.post("/epreuve/passage/signaler/", {"tab": tab, "message": long}).status_code,
        client.get("/epreuve/passage/question/99999999999999999999/image/").status_code,
        client.get("/epreuve/passage/question/0/fichier/").status_code,
        client.get(f"/epreuve/passage/?onglet={long}").status_code,
        client.put("/epreuve/passage/").status_code,
        client.get("/epreuve/passage/commencer/").status_code,
    ]
    assert all(status < 500 for status in answers), answers
    sitting.refresh_from_db()
    assert sitting.status == Sitting.Status.IN_PROGRESS


def test_the_pages_are_in_english_when_chosen() -> None:
    ps = proctored_session(1)
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/epreuve/").content.decode()
    assert "Join a test" in body and "Session access code" in body and "As DD/MM/YYYY" in body
    _sitting, tab = join(client, ps)
    assert "Waiting for the invigilator" in page(client, tab).content.decode()
