"""Autosaves that arrive at the same time (a juror typing fast, two tabs) are all kept: each save
reads the sheet after the previous one is written, on SQLite as on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from certeval.juries.models import GridScore
from certeval.juries.services.scoring import grid_score_save
from certeval.juries.tests.factories import jury_campaign

pytestmark = pytest.mark.django_db(transaction=True)

CRITERIA = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2"]


def test_simultaneous_autosaves_of_one_sheet_lose_no_criterion() -> None:
    jc = jury_campaign(candidates=1)
    slot, juror = jc.slot(), jc.jurors[0]
    start = threading.Barrier(len(CRITERIA))
    errors: list[BaseException] = []

    def save(criterion: str) -> None:
        try:
            start.wait()
            grid_score_save(slot=slot, juror=juror, levels={criterion: "avance"})
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(criterion,)) for criterion in CRITERIA]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert GridScore.objects.get(slot=slot, juror=juror).levels == dict.fromkeys(CRITERIA, "avance")
