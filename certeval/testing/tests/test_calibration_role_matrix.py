"""Every calibration page and API operation, for every role: the managers of the bank (organisers
running a campaign of that bank as a whole, administrators) are let in; an organiser limited to an
academy, an organiser of another référentiel's campaign, a juror and a candidate get 404 — the same
answer as for an absent bank —, anonymous visitors are sent to sign in (pages) or get 401 (API). A
refused write changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from certeval.accounts.tests.matrix import World, assert_api_write, assert_get_matrix, assert_post_matrix
from certeval.campaigns.models import CampaignRole
from certeval.campaigns.tests.factories import UserFactory, organiser_of
from certeval.testing.models import Calibration
from certeval.testing.tests.calibration_factories import BANK, make_items
from certeval.testing.tests.factories import academy, campaign_of, enrolment_in

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "organiser",
    "academy_organiser",
    "other_organiser",
    "juror",
    "administrator",
]


def _row(item_id: int, code: str) -> dict[str, Any]:
    parameters = {"a": 1.0, "b": 0.0, "c": 0.0}
    return {
        "id": item_id,
        "code": code,
        "competence": "1.1",
        "level": "confirme",
        "status": "active",
        "version": 1,
        "responses": 250,
        "old": parameters,
        "provisional": True,
        "new": {"a": 1.2, "b": 0.3, "c": 0.0},
        "se": {"a": 0.1, "b": 0.1, "c": 0.0},
        "flags": [],
        "fit_p": 0.5,
    }


@pytest.fixture
def world() -> World:
    campaign = campaign_of(BANK)
    enrolment = enrolment_in(campaign, "lyon")
    other = campaign_of("facilitateur-apprentissage")
    juror = UserFactory()
    CampaignRole.objects.create(campaign=campaign, user=juror, role="juror")
    items = make_items(2)
    done = Calibration.objects.create(
        bank=BANK,
        status=Calibration.Status.DONE,
        progress=1.0,
        responses=500,
        candidates=250,
        result={
            "bank_version": 1,
            "min_responses": 200,
            "items": [_row(item.pk, item.code) for item in items],
            "skipped": [],
            "summary": {
                "calibrated": 2,
                "skipped": 0,
                "flagged": 0,
                "by_flag": {},
                "iterations": 12,
                "converged": True,
                "mean_change_b": 0.3,
                "mean_shift_b": 0.3,
                "mean_change_a": 0.2,
                "mean_se_b": 0.1,
                "correlation_b": None,
            },
        },
    )
    users = {
        "candidate": enrolment.candidate.user,
        "organiser": organiser_of(campaign),
        "academy_organiser": organiser_of(campaign, academy=academy("lyon")),
        "other_organiser": organiser_of(other),
        "juror": juror,
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    return World(users, {"bank": BANK, "calibration": done.pk})  # type: ignore[dict-item]


MANAGERS = {"organiser", "administrator"}

PAGES = [
    ("/banque-de-questions/{bank}/calibrations/", MANAGERS),
    ("/banque-de-questions/{bank}/calibrations/{calibration}/", MANAGERS),
    ("/banque-de-questions/{bank}/calibrations/{calibration}/activer/", MANAGERS),
    ("/api/v1/testing/banks/{bank}/calibrations", MANAGERS),
    ("/api/v1/testing/banks/{bank}/calibrations/{calibration}", MANAGERS),
]
# (url template, the answer of each allowed role to an empty form). Each role acts on a world of its
# own; every other role is refused and nothing changes.
POSTS = [
    # No model chosen: the page shows the form again with the error.
    ("/banque-de-questions/{bank}/calibrations/", dict.fromkeys(MANAGERS, 200)),
    ("/banque-de-questions/{bank}/calibrations/{calibration}/activer/", dict.fromkeys(MANAGERS, 302)),
    ("/banque-de-questions/{bank}/calibrations/{calibration}/ecarter/", dict.fromkeys(MANAGERS, 302)),
]
API_WRITES = [
    ("post", "/api/v1/testing/banks/{bank}/calibrations", {"model": "2pl"}, dict.fromkeys(MANAGERS, 202)),
]
CASES = [(row, role) for row in POSTS for role in ROLES]
API_CASES = [(row, role) for row in API_WRITES for role in ROLES]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{r[0]}-{role}" for r, role in CASES])
def test_post_matrix(world: World, row: tuple[str, dict[str, int]], role: str) -> None:
    assert_post_matrix(world, role, *row)


@pytest.mark.parametrize(("row", "role"), API_CASES, ids=[f"{r[0]}-{r[1]}-{role}" for r, role in API_CASES])
def test_api_write_matrix(
    world: World, row: tuple[str, str, dict[str, object], dict[str, int]], role: str
) -> None:
    assert_api_write(world, role, *row)
