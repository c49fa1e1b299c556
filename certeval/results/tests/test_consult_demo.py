"""The demo's consultation log (certeval/results/demo_consult.py): the readings the jurors and the
president made through the services are recorded through the pages' write path, so the candidate's
« Mes données » lists who consulted their file; a second run records nothing more."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache

from certeval.audit.models import Consultation
from certeval.juries.services.scoring import grid_score_save
from certeval.privacy.tests.privacy_fixtures import privacy_world
from certeval.results import demo_consult
from certeval.results.tests.test_candidate_results import decide_pix

pytestmark = pytest.mark.django_db


def test_the_demo_records_the_jurors_and_presidents_readings_once() -> None:
    cache.clear()
    world = privacy_world(published=False)
    juror = world.jc.jurors[0]
    grid_score_save(slot=world.slot, juror=juror, levels={"1.1": "avance"})
    decide_pix(world.jc)
    demo_consult.populate(io.StringIO())
    rows = set(Consultation.objects.filter(person=world.candidate).values_list("staff_id", "page"))
    assert rows == {
        (juror.user.pk, "dossier_reading"),
        (juror.user.pk, "scoring"),
        (world.jc.president.pk, "president"),
    }
    cache.clear()  # a later run, another process: the database keeps it once
    demo_consult.populate(io.StringIO())
    assert Consultation.objects.filter(person=world.candidate).count() == 3
    assert "Mes données" in " ".join(demo_consult.notes())
