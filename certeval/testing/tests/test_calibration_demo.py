"""The demo's simulated pilot respondents: enough answers for a real calibration, written once."""

from __future__ import annotations

import io
from typing import Any

import pytest

from certeval.campaigns.models import Candidate
from certeval.testing import calibration_selectors as selectors
from certeval.testing.calibration_demo import seed_pilot_answers
from certeval.testing.calibration_services import calibration_start
from certeval.testing.models import Calibration, Question, Run
from certeval.testing.tests.calibration_factories import BANK, admin, make_items

pytestmark = pytest.mark.django_db


def test_pilot_answers_let_every_item_be_calibrated_once(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.CERTEVAL_CALIBRATION_MIN_RESPONSES = 50
    out = io.StringIO()
    assert seed_pilot_answers(BANK, out) == 0 and "aucune question active" in out.getvalue()
    items = make_items(110) + make_items(10, start=110, status="pilot")
    written = seed_pilot_answers(BANK, out, candidates=100)
    # 1.25 × 50 answers for each of 120 items over 100 people: 75 questions each.
    assert written == 100 * 75 and "100 répondants pilotes simulés" in out.getvalue()
    counts = selectors.respondents_per_item(BANK)
    assert min(counts[i.pk] for i in items) >= 62
    people = Candidate.objects.all()
    assert people.count() == 100 and all(p.email.endswith("@demo.certeval.fr") for p in people)
    assert not any(p.user.has_usable_password() for p in people.select_related("user"))
    runs = Run.objects.all()
    assert {(r.kind, r.status, r.settings["demo"]) for r in runs} == {("placement", "finished", "pilot")}
    assert all(r.started_at <= r.finished_at for r in runs)  # type: ignore[operator]
    assert not Question.objects.filter(item_version__item__status="pilot", scored=True).exists()
    assert seed_pilot_answers(BANK, out, candidates=100) == 0  # answers already there: nothing added
    assert Question.objects.count() == written
    with django_capture_on_commit_callbacks(execute=True):
        calibration = calibration_start(bank=BANK, model="2pl", actor=admin())
    calibration.refresh_from_db()
    assert calibration.status == Calibration.Status.DONE, calibration.message
    assert calibration.result["summary"]["calibrated"] == 120 and calibration.result["skipped"] == []
