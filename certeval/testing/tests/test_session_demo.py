"""The demo's proctored sessions: today's session in progress with candidates in every state and a
pending live alert, invigilated by surveillant@; candidat@ authorised, who joins and finishes a short
test; a finalised session waiting for an incident decision and one with recorded results; the codes
printed with the accounts; nothing written twice."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from certeval.accounts.models import User
from certeval.audit.models import AuditEvent
from certeval.campaigns.models import CampaignRole
from certeval.campaigns.tests.factories import CandidateFactory, UserFactory
from certeval.testing import kits
from certeval.testing import session_demo as demo
from certeval.testing import sitting_services as candidate_side
from certeval.testing.models import AutomatedResult, LiveAlert, SessionDelivery, Sitting
from certeval.testing.permissions import deliveries_invigilated, incidents_decidable
from certeval.testing.tests.factories import academy, published
from certeval.testing.tests.run_factories import make_bank
from certeval.testing.training_demo import plausible_response

pytestmark = pytest.mark.django_db


def _accounts() -> tuple[User, User, User]:
    published("pix-plus-edu")
    published("crcn")
    make_bank(per_competence=3, competences=3)
    academy("versailles")
    organiser = UserFactory(email=demo.ORGANISER)
    invigilator = UserFactory(email=demo.INVIGILATOR)
    me = UserFactory(email=demo.CANDIDATE)
    CandidateFactory(
        user=me,
        email=demo.CANDIDATE,
        birth_name="Candidate",
        first_names="Camille",
        birth_date=date(1975, 1, 1),
    )
    return organiser, invigilator, me


def test_the_demo_holds_a_session_in_progress_and_two_finalised_ones() -> None:
    organiser, invigilator, me = _accounts()
    demo.populate(io.StringIO())

    today = SessionDelivery.objects.get(session__label=demo.TODAY)
    assert today.finalised_at is None
    assert today.session.starts_at <= timezone.now() <= today.session.ends_at
    statuses = sorted(today.sittings.values_list("status", flat=True))
    assert statuses == sorted(
        [
            "not-arrived",
            "not-arrived",
            "present",
            "identity",
            "authorised",
            "in-progress",
            "in-progress",
            "finished",
        ]
    )
    alert = LiveAlert.objects.get(sitting__session=today)
    assert alert.status == LiveAlert.Status.PENDING
    working = today.sittings.exclude(pk=alert.sitting_id).get(status="in-progress")
    assert working.run is not None and working.run.questions.filter(answered_at__isnull=False).count() == 2
    assert CampaignRole.objects.filter(user=invigilator, role="invigilator", session=today.session).exists()
    assert deliveries_invigilated(invigilator).filter(pk=today.pk).exists()

    held = SessionDelivery.objects.get(session__label=demo.HELD)
    assert held.finalised_at is not None and held.results_recorded_at is None
    undecided = held.incidents.get(decision="")
    assert incidents_decidable(organiser).filter(pk=undecided.pk).exists()
    assert held.finalised_at < timezone.now() - timedelta(days=2)  # backdated to its day

    recorded = SessionDelivery.objects.get(session__label=demo.RECORDED)
    assert recorded.results_recorded_at is not None
    assert AutomatedResult.objects.filter(enrolment__session=recorded.session).count() == 3

    # candidat@ is authorised: they join with the code, their name and birth date, and finish the
    # short test.
    mine = today.sittings.get(enrolment__candidate__user=me)
    assert mine.status == Sitting.Status.AUTHORISED
    sitting = candidate_side.join(
        access_code=today.access_code, name="candidate", birth_date=date(1975, 1, 1)
    )
    assert sitting.pk == mine.pk
    tab = candidate_side.claim_tab(sitting.pk)
    candidate_side.start(sitting_id=sitting.pk, tab=tab)
    for _ in range(demo.QUESTIONS):
        sitting = Sitting.objects.select_related("run").get(pk=sitting.pk)
        question = candidate_side.current_question(sitting)
        assert question is not None
        candidate_side.answer(
            sitting_id=sitting.pk,
            question=question,
            response=plausible_response(question.item_version.content(), True),
            idempotency_key=question.idempotency_key,
            tab=tab,
        )
    sitting.refresh_from_db()
    assert sitting.status == Sitting.Status.FINISHED and sitting.finish == Sitting.Finish.COMPLETED

    # The codes are printed with the accounts, and today's kit prints.
    printed = "\n".join(demo.notes())
    assert today.access_code in printed and today.invigilator_code in printed
    assert f"session number {kits.session_number(today)}" in printed
    assert kits.kit_pdf(today).startswith(b"%PDF")

    events = AuditEvent.objects.count()
    demo.populate(io.StringIO())
    assert AuditEvent.objects.count() == events
    assert SessionDelivery.objects.count() == 3


def test_without_the_demo_accounts_nothing_is_written() -> None:
    published("pix-plus-edu")
    out = io.StringIO()
    demo.populate(out)
    assert "manquent" in out.getvalue() and not SessionDelivery.objects.exists()
    assert demo.notes() == []
