"""The demo training history of candidat@: due replays today, progress over several weeks, answers
consistent with their scoring and with the FSRS cards; nothing is written twice."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from certeval.campaigns.tests.factories import CandidateFactory, UserFactory
from certeval.domain.items.content import Response, score
from certeval.testing import training_selectors as selectors
from certeval.testing.models import Question, ReviewCard, Run
from certeval.testing.tests.factories import campaign_of, enrolment_in, published
from certeval.testing.tests.training_factories import make_item
from certeval.testing.training_demo import DEMO_EMAIL, seed_training_history

pytestmark = pytest.mark.django_db


def test_demo_history_fills_the_due_list_and_the_progress_chart() -> None:
    published("crcn")
    candidate = CandidateFactory(user=UserFactory(email=DEMO_EMAIL), email=DEMO_EMAIL)
    enrolment_in(campaign_of("pix-plus-edu"), candidate=candidate)
    for part, competence in (("crcn-edu", "1.1"), ("crcn-edu", "3.1"), ("crcn", "1.1"), ("crcn", "3.1")):
        for n, level in enumerate(("initie", "confirme", "avance", "expert")):
            kind = "short" if n == 1 else "single"
            make_item(f"{part}-{competence}-{n}", part=part, competence=competence, level=level, kind=kind)
    out = io.StringIO()
    answers = seed_training_history(out)
    assert answers > 10 and "historique" in out.getvalue()

    trainee = selectors.trainee_of(candidate)
    now = timezone.now()
    assert selectors.due_cards(trainee, until=selectors.end_of_day(now), now=now)
    rows = selectors.progress(trainee, now)
    assert len(rows) == 4
    assert sum(1 for row in rows for week in row.weeks if week.answered) >= 6
    assert not Run.objects.filter(kind=Run.Kind.TRAINING, status=Run.Status.IN_PROGRESS).exists()
    for question in Question.objects.select_related("item_version"):
        assert question.scored is False
        assert (
            score(question.item_version.content(), Response.from_json(question.response)) == question.correct
        )
    for card in ReviewCard.objects.all():
        answered = Question.objects.filter(item_version__item=card.item, run__candidate=candidate)
        assert card.reviews == answered.count()
        last = answered.order_by("-answered_at").first()
        assert last is not None and card.last_correct == last.correct and card.due > last.answered_at

    assert seed_training_history(io.StringIO()) == 0
    assert Question.objects.count() == answers


def test_demo_history_without_the_demo_candidate_writes_nothing() -> None:
    out = io.StringIO()
    assert seed_training_history(out) == 0
    assert "pas d'historique" in out.getvalue()
