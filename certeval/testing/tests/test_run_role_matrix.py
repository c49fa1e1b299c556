"""Every page and API operation of the placement run, for every role: a run (its questions and result)
is opened by its own candidate only; another candidate, organisers (of the whole
campaign or of an academy) and administrators get 404 — the same answer as for an absent run —, and
anonymous visitors are sent to sign in (pages) or get 401 (API). The online tests' home page and
preferences are for people with a candidate identity. A refused write changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from certeval.accounts.tests.matrix import World, assert_api_write, assert_get_matrix, assert_post_matrix
from certeval.campaigns.tests.factories import UserFactory, organiser_of
from certeval.testing.models import ItemVersion, Run
from certeval.testing.run_services import placement_start
from certeval.testing.tests.factories import academy
from certeval.testing.tests.run_factories import BANK, SMALL, enrolled, make_bank

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "candidate", "other_candidate", "organiser", "academy_organiser", "administrator"]


@pytest.fixture
def world(settings: Any) -> World:
    settings.CERTEVAL_PLACEMENT = dict(SMALL)
    make_bank(1)
    mine = enrolled(academy_code="lyon")
    theirs = enrolled(campaign=mine.campaign, academy_code="lyon")
    user = mine.candidate.user
    run = placement_start(actor=user, bank=BANK)
    question = run.questions.get()
    ItemVersion.objects.filter(pk=question.item_version_id).update(
        image=default_storage.save(
            "items/images/schema.svg", ContentFile(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
        ),
        attachment=default_storage.save("items/files/notes.csv", ContentFile(b"a;b\n1;2\n")),
    )
    finished = Run.objects.create(
        candidate=mine.candidate,
        kind=Run.Kind.PLACEMENT,
        bank=BANK,
        bank_version=1,
        status=Run.Status.FINISHED,
        audience="second",
        campaign=mine.campaign,
        enrolment=mine,
        settings=run.settings,
        proposed_level="avance",
        outcome={
            "level": "avance",
            "answered": 10,
            "probabilities": {"confirme": 0.99, "avance": 0.85, "expert": 0.1},
            "reasons": ["Niveau proposé : Avancé."],
            "competences": [
                {
                    "part": "crcn",
                    "competence": "1.1",
                    "answered": 3,
                    "correct": 2,
                    "theta": 0.4,
                    "se": 0.8,
                    "level": "avance",
                    "acquired": True,
                    "reference": "avance",
                }
            ],
        },
    )
    users = {
        "candidate": user,
        "other_candidate": theirs.candidate.user,
        "organiser": organiser_of(mine.campaign),
        "academy_organiser": organiser_of(mine.campaign, academy=academy("lyon")),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    ids = {"bank": BANK, "run": run.pk, "finished": finished.pk}
    return World(users, ids)  # type: ignore[arg-type]


CANDIDATES = {"candidate", "other_candidate"}
OWNER = {"candidate"}

PAGES = [
    ("/tests-en-ligne/", CANDIDATES),
    ("/tests-en-ligne/preferences/", CANDIDATES),
    ("/tests-en-ligne/parcours-bilan/{run}/", OWNER),
    ("/tests-en-ligne/parcours-bilan/{finished}/resultat/", OWNER),
    ("/api/v1/testing/placement", CANDIDATES),
    ("/api/v1/testing/placement/runs/{run}", OWNER),
    ("/api/v1/testing/placement/runs/{finished}/result", OWNER),
    ("/api/v1/testing/online-tests/preferences", CANDIDATES),
]
# (url template, the answer of each allowed role to an empty form); every other role is refused and
# nothing changes.
POSTS = [
    # Start or resume: the other candidate, enrolled too, starts their own run.
    ("/tests-en-ligne/parcours-bilan/{bank}/commencer/", dict.fromkeys(CANDIDATES, 302)),
    # No key: « page no longer up to date », back to the current question.
    ("/tests-en-ligne/parcours-bilan/{run}/", {"candidate": 302}),
    # No text size: the form again with its error.
    ("/tests-en-ligne/preferences/", dict.fromkeys(CANDIDATES, 200)),
]
API_WRITES = [
    ("post", "/api/v1/testing/placement/{bank}/runs", {}, dict.fromkeys(CANDIDATES, 200)),
    (
        "post",
        "/api/v1/testing/placement/runs/{run}/answers",
        {"key": "stale", "choices": ["a"]},
        {"candidate": 409},
    ),
    (
        "put",
        "/api/v1/testing/online-tests/preferences",
        {"text_size": "large"},
        dict.fromkeys(CANDIDATES, 200),
    ),
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
