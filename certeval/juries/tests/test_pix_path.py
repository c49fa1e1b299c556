"""Pix+ Édu from the jurors' pages to the validated decision, through the web layer: each juror
scores the dossier grid and transmits it, the president harmonises on their page and validates, and
the recorded decision is the one ``certeval evaluate pix-plus-edu`` gives on the same inputs."""

from __future__ import annotations

import json
import random
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from certeval.frameworks.selectors import framework_of
from certeval.juries.models import GridScore
from certeval.juries.tests.factories import jury_campaign
from certeval.testing.services import automated_result_record

pytestmark = pytest.mark.django_db


def _cli(case: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "deliberation.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    out = StringIO()
    call_command("evaluate", "pix-plus-edu", str(path), stdout=out)
    return dict(json.loads(out.getvalue()))


# (name, automated level, consensus level or None for random, oral level or None for random, outcome)
CASES = [
    ("all expert, automated avancé", "avance", "expert", "expert", "certified"),
    ("practice initié below an expert automated part", "expert", "initie", "initie", "adjourned"),
    ("nothing observable", "confirme", "", "", "not_certified"),
    ("mixed grid", "avance", None, None, None),
]


@pytest.mark.parametrize(("name", "automated_level", "grid_level", "oral_level", "expected"), CASES)
def test_pix_plus_edu_path_through_the_pages_matches_the_command(
    name: str,
    automated_level: str,
    grid_level: str | None,
    oral_level: str | None,
    expected: str | None,
    tmp_path: Path,
) -> None:
    rng = random.Random(name)
    jc = jury_campaign(candidates=1, automated=False)
    framework, rules = framework_of(jc.campaign.framework_version)
    ladder = rules.ladder.ids
    assert rules.dossier is not None and rules.oral is not None
    criteria, domains = rules.dossier.criteria, rules.oral.domains
    obtained = date(2026, 3, 1)
    automated_result_record(
        enrolment=jc.enrolments[0], level=automated_level, obtained_on=obtained, actor=jc.organiser
    )
    slot = jc.slot()
    client = Client()
    for juror in jc.jurors:
        client.force_login(juror.user)
        grid = {f"level-{c}": rng.choice([*ladder, GridScore.NON_OBSERVABLE]) for c in criteria}
        response = client.post(reverse("juries:score", args=[slot.pk]), grid | {"action": "submit"})
        assert response.status_code == 302
    consensus = {
        c: rng.choice([*ladder, *ladder, None]) if grid_level is None else grid_level or None
        for c in criteria
    }
    oral = {d: rng.choice([*ladder, None]) if oral_level is None else oral_level or None for d in domains}
    form = {f"level-{c}": level or GridScore.NON_OBSERVABLE for c, level in consensus.items()}
    form |= {f"oral-{d}": level or "" for d, level in oral.items()}
    client.force_login(jc.president)
    assert client.get(reverse("juries:harmonise", args=[slot.pk])).status_code == 200
    assert client.post(reverse("juries:harmonise", args=[slot.pk]), form).status_code == 302
    assert client.post(reverse("juries:validate", args=[slot.pk])).status_code == 302

    decided = slot.deliberations.get()
    assert decided.state == "validated"
    cli = _cli(
        {
            "component": "deliberation",
            "on": decided.validated_at.date().isoformat(),  # type: ignore[union-attr]
            "automated": {"level": automated_level, "obtained_on": obtained.isoformat()},
            "dossier": consensus,
            "oral": oral,
            "policy": jc.campaign.final_policy,
        },
        tmp_path,
    )
    assert (decided.outcome, decided.final_level or None) == (cli["outcome"], cli["level"])
    assert decided.evaluation["final"]["reasons"] == cli["reasons"]
    assert framework.id == "pix-plus-edu"
    assert expected is None or decided.outcome == expected, name
