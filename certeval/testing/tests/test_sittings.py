"""A proctored test through its services: joining, the invigilator's go, the server's clock, answers
never lost, live alerts, incidents decided by an organiser, finalisation and the automated result."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from certeval.domain.items.content import Response, option_id
from certeval.testing import console_services as console
from certeval.testing import sitting_services as candidate
from certeval.testing.errors import TakeoverError, TestingError
from certeval.testing.models import AutomatedResult, Incident, LiveAlert, Question, ServicePulse, Sitting
from certeval.testing.tests.sitting_factories import ProctoredSession, proctored_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def short_tests(settings: Any) -> None:
    settings.CERTEVAL_DELIVERY = {**settings.CERTEVAL_DELIVERY, "min_answered": 4}


def _joined(ps: ProctoredSession, index: int = 0) -> tuple[Sitting, str]:
    e = ps.enrolments[index]
    sitting = candidate.join(
        access_code=ps.delivery.access_code.lower(),
        name=e.candidate.birth_name.upper(),
        birth_date=e.candidate.birth_date,
    )
    return sitting, candidate.claim_tab(sitting.pk)


def _authorised(ps: ProctoredSession, index: int = 0) -> tuple[Sitting, str]:
    sitting, tab = _joined(ps, index)
    who = ps.invigilator
    console.mark_present(delivery=ps.delivery, sitting_id=sitting.pk, who=who)
    console.check_identity(delivery=ps.delivery, sitting_id=sitting.pk, document="passport", who=who)
    console.authorise(delivery=ps.delivery, sitting_id=sitting.pk, who=who)
    return sitting, tab


def _pending(sitting: Sitting) -> Question:
    sitting.refresh_from_db()
    question = candidate.current_question(sitting)
    assert question is not None
    return question


def _answer(sitting: Sitting, tab: str, right: bool = True) -> Question:
    question = _pending(sitting)
    options = question.item_version.options
    choice = next(i for i, o in enumerate(options) if o["correct"] == right)
    candidate.answer(
        sitting_id=sitting.pk,
        question=question,
        response=Response(choices=frozenset({option_id(choice)})),
        idempotency_key=question.idempotency_key,
        tab=tab,
    )
    return question


def _finish_all(sitting: Sitting, tab: str, right: bool = True) -> None:
    for _ in range(200):
        sitting.refresh_from_db()
        if sitting.status != Sitting.Status.IN_PROGRESS:
            return
        _answer(sitting, tab, right)
    raise AssertionError("the test did not end")


def test_join_needs_the_code_the_name_and_the_birth_date() -> None:
    ps = proctored_session(1)
    e = ps.enrolments[0]
    for code, name, born in (
        ("WRONG", e.candidate.birth_name, e.candidate.birth_date),
        (ps.delivery.access_code, "Quelqu'un", e.candidate.birth_date),
        (ps.delivery.access_code, e.candidate.birth_name, e.candidate.birth_date - timedelta(days=1)),
    ):
        with pytest.raises(TestingError, match="incorrect"):
            candidate.join(access_code=code, name=name, birth_date=born)
    sitting = candidate.join(
        access_code=f" {ps.delivery.access_code[:4]}-{ps.delivery.access_code[4:]} ",
        name=e.candidate.birth_name,
        birth_date=e.candidate.birth_date,
    )
    assert sitting.status == Sitting.Status.NOT_ARRIVED and sitting.joined_at is not None


def test_the_test_starts_only_once_authorised_and_the_steps_go_in_order() -> None:
    ps = proctored_session(1)
    sitting, tab = _joined(ps)
    with pytest.raises(TestingError, match="pas encore autorisé"):
        candidate.start(sitting_id=sitting.pk, tab=tab)
    with pytest.raises(TestingError, match="identité"):
        console.authorise(delivery=ps.delivery, sitting_id=sitting.pk, who=ps.invigilator)
    console.check_identity(
        delivery=ps.delivery, sitting_id=sitting.pk, document="id-card", who=ps.invigilator
    )
    console.authorise(delivery=ps.delivery, sitting_id=sitting.pk, who=ps.invigilator)
    started = candidate.start(sitting_id=sitting.pk, tab=tab)
    assert started.status == Sitting.Status.IN_PROGRESS
    assert started.allowed_seconds == 150 * 60
    assert candidate.remaining_seconds(started) == pytest.approx(150 * 60, abs=2)
    assert candidate.current_question(started) is not None


def test_extra_time_comes_from_the_accommodations() -> None:
    ps = proctored_session(1)
    ps.enrolments[0].extra_time_percent = 33
    ps.enrolments[0].save()
    sitting, tab = _authorised(ps)
    started = candidate.start(sitting_id=sitting.pk, tab=tab)
    assert started.allowed_seconds == 150 * 60 * 133 // 100


def test_a_level_form_is_drawn_at_the_target_level_and_scored_by_shares() -> None:
    ps = proctored_session(1, target_level="avance")
    sitting, tab = _authorised(ps)
    candidate.start(sitting_id=sitting.pk, tab=tab)
    _finish_all(sitting, tab, right=True)
    sitting.refresh_from_db()
    levels = {q.item_version.item.level for q in sitting.run.questions.select_related("item_version__item")}
    assert levels == {"avance"}
    assert sitting.finish == Sitting.Finish.COMPLETED
    # Every answer right, but the form was drawn at Avancé: it cannot attest Expert.
    assert sitting.outcome["level"] == "avance" and sitting.outcome["valid"]
    assert any("niveau visé" in r for r in sitting.outcome["reasons"])


def test_a_repeated_submission_stores_one_answer_and_a_second_tab_takes_over() -> None:
    ps = proctored_session(1)
    sitting, tab = _authorised(ps)
    candidate.start(sitting_id=sitting.pk, tab=tab)
    question = _answer(sitting, tab)
    # The same submission again (a retry after a network error): nothing more is stored.
    candidate.answer(
        sitting_id=sitting.pk,
        question=question,
        response=Response(choices=frozenset({option_id(1)})),
        idempotency_key=question.idempotency_key,
        tab=tab,
    )
    assert Question.objects.filter(run=sitting.run, answered_at__isnull=False).count() == 1
    other = candidate.claim_tab(sitting.pk)
    with pytest.raises(TakeoverError):
        _answer(sitting, tab)
    _answer(sitting, other)
    assert sitting.events.filter(kind="takeover").exists()


def test_the_clock_stops_while_paused_and_the_test_closes_when_time_is_up() -> None:
    ps = proctored_session(1)
    sitting, tab = _authorised(ps)
    candidate.start(sitting_id=sitting.pk, tab=tab)
    _answer(sitting, tab)
    console.pause(delivery=ps.delivery, sitting_id=sitting.pk, who=ps.invigilator)
    sitting.refresh_from_db()
    frozen = candidate.remaining_seconds(sitting)
    assert candidate.remaining_seconds(sitting, timezone.now() + timedelta(hours=5)) == frozen
    with pytest.raises(TestingError, match="pause"):
        _answer(sitting, tab)
    console.resume(delivery=ps.delivery, sitting_id=sitting.pk, who=ps.invigilator)
    Sitting.objects.filter(pk=sitting.pk).update(
        running_since=timezone.now() - timedelta(seconds=frozen + 10)
    )
    assert candidate.expire_due(ps.delivery) == 1
    sitting.refresh_from_db()
    assert sitting.status == Sitting.Status.FINISHED and sitting.finish == Sitting.Finish.TIME_UP
    assert sitting.outcome["answered"] == 1 and not sitting.outcome["valid"]  # fewer than the minimum


def test_time_lost_to_a_service_outage_is_given_back_and_logged() -> None:
    ps = proctored_session(1)
    sitting, tab = _authorised(ps)
    candidate.start(sitting_id=sitting.pk, tab=tab)
    sitting.refresh_from_db()
    before = candidate.remaining_seconds(sitting)
    # The service answered nobody for ten minutes (no pulse), then the candidate comes back.
    Sitting.objects.filter(pk=sitting.pk).update(
        last_seen_at=timezone.now() - timedelta(minutes=10),
        running_since=sitting.running_since - timedelta(minutes=10),
    )
    ServicePulse.objects.all().delete()
    candidate._LAST_PULSE.clear()
    candidate.heartbeat(sitting_id=sitting.pk, tab=tab)
    sitting.refresh_from_db()
    assert candidate.remaining_seconds(sitting) == pytest.approx(before, abs=3)
    assert sitting.incidents.get().category == Incident.Category.TECHNICAL


def test_a_silence_while_the_service_answered_others_gives_nothing_back() -> None:
    ps = proctored_session(1)
    sitting, tab = _authorised(ps)
    candidate.start(sitting_id=sitting.pk, tab=tab)
    sitting.refresh_from_db()
    Sitting.objects.filter(pk=sitting.pk).update(last_seen_at=timezone.now() - timedelta(minutes=10))
    for minutes in range(1, 10):
        ServicePulse.objects.get_or_create(
            minute=(timezone.now() - timedelta(minutes=minutes)).replace(second=0, microsecond=0)
        )
    candidate.heartbeat(sitting_id=sitting.pk, tab=tab)
    sitting.refresh_from_db()
    assert sitting.added_seconds == 0 and not sitting.incidents.exists()


def test_a_live_alert_blocks_until_handled_and_a_resume_never_dismisses_it() -> None:
    ps = proctored_session(1)
    sitting, tab = _authorised(ps)
    candidate.start(sitting_id=sitting.pk, tab=tab)
    reported = _pending(sitting)
    alert = candidate.report_problem(sitting_id=sitting.pk, tab=tab, message="L'image ne s'affiche pas")
    assert alert.question == reported
    with pytest.raises(TestingError, match="signalement"):
        _answer(sitting, tab)
    console.pause(delivery=ps.delivery, sitting_id=sitting.pk, who=ps.invigilator)
    with pytest.raises(TestingError, match="signalement"):
        console.resume(delivery=ps.delivery, sitting_id=sitting.pk, who=ps.invigilator)
    console.handle_alert(delivery=ps.delivery, alert_id=alert.pk, validate=True, who=ps.invigilator)
    alert.refresh_from_db()
    assert alert.status == LiveAlert.Status.VALIDATED
    console.resume(delivery=ps.delivery, sitting_id=sitting.pk, who=ps.invigilator)
    replacement = _pending(sitting)
    assert replacement.pk != reported.pk and replacement.scored
    reported.refresh_from_db()
    assert not reported.scored
    assert replacement.item_version.item.competence == reported.item_version.item.competence


def test_finalisation_holds_results_until_an_organiser_decides_every_incident() -> None:
    ps = proctored_session(2)
    sitting, tab = _authorised(ps)
    candidate.start(sitting_id=sitting.pk, tab=tab)
    with pytest.raises(TestingError, match="en cours"):
        console.finalise(delivery=ps.delivery, comment="", absentees_confirmed=True, who=ps.invigilator)
    _finish_all(sitting, tab, right=True)
    console.report_incident(
        delivery=ps.delivery,
        sitting_id=sitting.pk,
        category="question",
        question_number=2,
        description="Deux réponses semblent justes.",
        who=ps.invigilator,
    )
    with pytest.raises(TestingError, match="absents"):
        console.finalise(delivery=ps.delivery, comment="RAS", absentees_confirmed=False, who=ps.invigilator)
    console.finalise(
        delivery=ps.delivery, comment="Une question contestée.", absentees_confirmed=True, who=ps.invigilator
    )
    assert ps.delivery.sittings.filter(status=Sitting.Status.ABSENT).count() == 1
    assert not AutomatedResult.objects.exists()  # held: an incident is undecided
    incident = Incident.objects.get()
    with pytest.raises(TestingError, match="motif"):
        console.decide_incident(incident_id=incident.pk, decision="neutralise", reason="", actor=ps.organiser)
    console.decide_incident(
        incident_id=incident.pk, decision="neutralise", reason="Question ambiguë.", actor=ps.organiser
    )
    result = AutomatedResult.objects.get()
    sitting.refresh_from_db()
    assert result.level == "confirme" and result.candidate_id == ps.enrolments[0].candidate_id
    assert result.details["sitting"] == sitting.pk
    assert not sitting.run.questions.get(position=2).scored


def test_a_cancelled_result_is_not_recorded_and_another_academys_organiser_cannot_decide() -> None:
    from certeval.campaigns.tests.factories import organiser_of
    from certeval.testing.tests.factories import academy

    ps = proctored_session(1)
    sitting, tab = _authorised(ps)
    candidate.start(sitting_id=sitting.pk, tab=tab)
    _finish_all(sitting, tab)
    incident = console.report_incident(
        delivery=ps.delivery,
        sitting_id=sitting.pk,
        category="fraud",
        description="Téléphone.",
        who=ps.invigilator,
    )
    console.finalise(delivery=ps.delivery, comment="", absentees_confirmed=True, who=ps.invigilator)
    elsewhere = organiser_of(ps.session.campaign, academy=academy("nantes"))
    with pytest.raises(TestingError, match="introuvable"):
        console.decide_incident(incident_id=incident.pk, decision="keep", reason="Rien.", actor=elsewhere)
    console.decide_incident(
        incident_id=incident.pk, decision="cancel", reason="Fraude constatée.", actor=ps.organiser
    )
    assert not AutomatedResult.objects.exists()
    ps.delivery.refresh_from_db()
    assert ps.delivery.results_recorded_at is not None


def test_a_level_form_needs_a_target_level() -> None:
    ps = proctored_session(1, target_level="")
    sitting, _tab = _joined(ps)
    console.check_identity(
        delivery=ps.delivery, sitting_id=sitting.pk, document="passport", who=ps.invigilator
    )
    with pytest.raises(TestingError, match="niveau visé"):
        console.authorise(delivery=ps.delivery, sitting_id=sitting.pk, who=ps.invigilator)


def test_the_adaptive_form_is_scored_on_the_ability_scale() -> None:
    ps = proctored_session(1)
    delivery = candidate.campaign_delivery(ps.session.campaign_id)
    delivery.form = "adaptive"
    delivery.save()
    sitting, tab = _authorised(ps)
    candidate.start(sitting_id=sitting.pk, tab=tab)
    _finish_all(sitting, tab, right=True)
    sitting.refresh_from_db()
    assert sitting.outcome["form"] == "adaptive"
    assert sitting.outcome["level"] in {"avance", "expert"}
    assert any("aptitude" in r for r in sitting.outcome["reasons"])


def test_the_enrolment_page_shows_the_session_and_then_the_result_with_its_competences(client: Any) -> None:
    ps = proctored_session(1)
    enrolment = ps.enrolments[0]
    client.force_login(enrolment.candidate.user)
    page = client.get(f"/campagnes/candidats/{enrolment.pk}/").content.decode()
    assert "Épreuve en ligne surveillée" in page and "/epreuve/" in page
    assert "Aucun résultat enregistré" in page
    sitting, tab = _authorised(ps)
    candidate.start(sitting_id=sitting.pk, tab=tab)
    _finish_all(sitting, tab, right=True)
    console.finalise(delivery=ps.delivery, comment="", absentees_confirmed=True, who=ps.invigilator)
    page = client.get(f"/campagnes/candidats/{enrolment.pk}/").content.decode()
    assert "Confirmé" in page and "Compétences acquises" in page
    assert "Compétences à travailler" in page
    home = client.get("/tests-en-ligne/").content.decode()
    assert "Volet automatisé — " in home and "Compétences acquises" in home
    # An invigilator of the session sees the candidate but not their result.
    from certeval.accounts.models import User
    from certeval.campaigns.models import CampaignRole

    invigilator = User.objects.create_user(email="surv@example.fr", password="x" * 12)
    CampaignRole.objects.create(
        campaign=ps.session.campaign, user=invigilator, role="invigilator", session=ps.session
    )
    client.force_login(invigilator)
    page = client.get(f"/campagnes/candidats/{enrolment.pk}/").content.decode()
    assert "Votre résultat au volet automatisé" not in page
