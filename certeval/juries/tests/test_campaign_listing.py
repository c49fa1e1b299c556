"""``certeval campaigns list --json``: every campaign with its slug, framework, state and the count
of candidates per final decision (the latest validated deliberation of each candidate)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from certeval.juries.services.deliberation import (
    deliberation_reopen,
    deliberation_save,
    deliberation_validate,
)
from certeval.juries.tests.factories import jury_campaign

pytestmark = pytest.mark.django_db

COMPETENCES = ["C1", "C2", "C3", "C4", "C5"]


def _listing() -> list[dict[str, object]]:
    out = io.StringIO()
    call_command("campaigns", "list", "--json", stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def _decide(jc, index: int, *, certified: bool) -> None:  # type: ignore[no-untyped-def]
    slot = jc.slot(index)
    deliberation_save(
        slot=slot,
        actor=jc.president,
        consensus={},
        item_comments={},
        oral_levels={},
        oral_comments={},
        verdicts={"competences": dict.fromkeys(COMPETENCES, True) | {"C2": certified}},
        verdict_comments={},
    )
    deliberation_validate(slot=slot, actor=jc.president)


def test_list_counts_final_decisions_per_campaign() -> None:
    jc = jury_campaign(candidates=3, framework="facilitateur-apprentissage")
    other = jury_campaign(candidates=1)
    _decide(jc, 0, certified=True)
    _decide(jc, 1, certified=False)
    # A reopened decision still counts with the decision it replaces until the new one is validated.
    deliberation_reopen(slot=jc.slot(1), actor=jc.president, reason="Erreur de saisie sur C2")

    rows = {row["slug"]: row for row in _listing()}

    mine = rows[jc.campaign.slug]
    assert mine["framework"] == "facilitateur-apprentissage"
    assert mine["state"] == "juries"
    assert mine["candidates"] == 3
    assert mine["outcomes"] == {"certified": 1, "not_certified": 1}
    assert rows[other.campaign.slug]["framework"] == "pix-plus-edu"
    assert rows[other.campaign.slug]["outcomes"] == {}


def test_list_as_text() -> None:
    jc = jury_campaign(candidates=1, framework="facilitateur-apprentissage")
    _decide(jc, 0, certified=True)
    out = io.StringIO()
    call_command("campaigns", "list", stdout=out)
    assert (
        f"{jc.campaign.slug}  [facilitateur-apprentissage v1]  juries  1 candidate(s)  decisions: certified 1"
        in (out.getvalue())
    )
    assert out.getvalue().rstrip().endswith("1 campaign(s).")
