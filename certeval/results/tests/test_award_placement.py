"""A finished placement run gets the attestation of its level (« attestation de son niveau de
maîtrise du CRCN-Édu », seed 004 §3), valid 3 years (the référentiel's automated validity), with the
competences acquired and to work on; its result page links to « Mes attestations »."""

from __future__ import annotations

from typing import Any

import pytest

from certeval.domain.awards import valid_until
from certeval.results.award_services import award_issue_for_placement
from certeval.results.models import Award
from certeval.testing.models import Run
from certeval.testing.tests.run_factories import SMALL, enrolled, make_bank
from certeval.testing.tests.test_runs import _answer_all, _client

pytestmark = pytest.mark.django_db


def test_a_finished_placement_run_issues_its_level_attestation(settings: Any) -> None:
    settings.CERTEVAL_PLACEMENT = dict(SMALL)
    make_bank()
    enrolment = enrolled()
    client = _client(enrolment.candidate.user)
    client.post("/tests-en-ligne/parcours-bilan/pix-plus-edu/commencer/")
    run = Run.objects.get()
    assert not Award.objects.exists()
    _answer_all(client, run)
    run.refresh_from_db()
    award = Award.objects.get()
    assert award.kind == Award.Kind.PLACEMENT and award.source_run == run
    assert award.level == run.proposed_level == "expert"
    assert award.snapshot["level_label"] == "Expert"
    assert award.valid_until == valid_until(award.valid_from, 3)
    rows = run.outcome["competences"]
    assert len(award.snapshot["acquired"]) == sum(1 for r in rows if r["acquired"])
    assert len(award.snapshot["to_work_on"]) == sum(1 for r in rows if not r["acquired"])
    assert all(label.startswith(("CRCN-Édu ", "CRCN ")) for label, _level in award.snapshot["acquired"])
    # Idempotent.
    assert award_issue_for_placement(run, enrolment.candidate.user) == award
    assert Award.objects.count() == 1
    page = client.get(f"/tests-en-ligne/parcours-bilan/{run.pk}/resultat/").content.decode()
    assert "/mes-attestations/" in page
