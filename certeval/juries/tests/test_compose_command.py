"""``certeval juries compose --campaign SLUG``: the solver on a stored campaign."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from certeval.juries.models import Jury, OralSlot
from certeval.juries.tests.factories import jury_campaign, submitted_enrolment

pytestmark = pytest.mark.django_db


def compose(*args: str) -> str:
    out = StringIO()
    call_command("juries", "compose", *args, stdout=out)
    return out.getvalue()


def test_compose_by_slug_prints_the_juries_as_json() -> None:
    jc = jury_campaign(candidates=4, calibrated=False)
    OralSlot.objects.all().delete()
    Jury.objects.all().delete()
    assert jc.campaign.slug
    data = json.loads(compose("--campaign", jc.campaign.slug, "--time-limit", "10", "--json"))
    assert data["status"] in {"optimal", "feasible"}
    assert data["campaign"] == jc.campaign.pk
    orals = [oral for jury in data["juries"] for oral in jury["orals"]]
    assert sorted(o["enrolment"] for o in orals) == sorted(e.pk for e in jc.enrolments)
    assert all(len(jury["members"]) == 3 for jury in data["juries"])
    # The same campaign by its numeric id, in plain text.
    OralSlot.objects.all().delete()
    Jury.objects.all().delete()
    assert "status: " in compose("--campaign", str(jc.campaign.pk), "--time-limit", "10")


def test_infeasible_campaign_exits_3_with_the_explanation() -> None:
    jc = jury_campaign(candidates=2, calibrated=False)
    OralSlot.objects.all().delete()
    Jury.objects.all().delete()
    submitted_enrolment(jc.campaign, "lyon")  # the only DRANE member is from Lyon
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("juries", "compose", "--campaign", jc.campaign.slug, "--json", stdout=out)
    assert error.value.returncode == 3
    data = json.loads(out.getvalue())
    assert data["status"] == "infeasible"
    assert data["explanation_fr"]


def test_unknown_campaign_exits_2() -> None:
    with pytest.raises(CommandError, match="unknown campaign 'nope'") as error:
        compose("--campaign", "nope")
    assert error.value.returncode == 2
