"""Every training page and API operation, for every role: a person with a candidate record trains (the
home page, the competences, due list and progress are their own, so another candidate gets them too),
only the session's own candidate opens it (another candidate gets 404, as for an absent session);
organisers and administrators have no candidate record and get 404; anonymous visitors are sent to
sign in (pages) or get 401 (API). A refused write changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from certeval.accounts.tests.matrix import World, assert_api_write, assert_get_matrix, assert_post_matrix
from certeval.campaigns.tests.factories import UserFactory, organiser_of
from certeval.domain.items.content import Response
from certeval.testing.tests.factories import enrolment_in
from certeval.testing.tests.training_factories import RIGHT, learner, make_item
from certeval.testing.training_services import training_answer, training_next, training_start

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "candidate", "other_candidate", "organiser", "administrator"]


@pytest.fixture
def world(settings: pytest.FixtureRequest, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    enrolment = learner()
    other = enrolment_in(enrolment.campaign, "lyon")
    first = make_item("t-initie")
    version = first.current
    assert version is not None
    version.image.save("schema.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
    version.attachment.save("tableau.csv", ContentFile(b"a;b\n1;2\n"), save=False)
    version.image_alt = "Un schéma"
    version.save()
    for n in range(3):
        make_item(f"t-confirme-{n}", level="confirme")
    user = enrolment.candidate.user
    run = training_start(user, part="crcn-edu", competence="1.1")
    question = training_next(user, run.pk)
    assert question is not None and question.item_version.item_id == first.pk
    training_answer(
        user, run.pk, question.position, Response(frozenset({RIGHT})), key=question.idempotency_key
    )
    pending = training_next(user, run.pk)
    assert pending is not None
    users = {
        "candidate": user,
        "other_candidate": other.candidate.user,
        "organiser": organiser_of(enrolment.campaign),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    ids = {"run": run.pk, "answered": question.position, "pending": pending.position}
    ids |= {"part": "crcn-edu", "competence": "1.1"}  # type: ignore[dict-item]
    return World(users, ids)


PEOPLE = {"candidate", "other_candidate"}
OWNER = {"candidate"}
BASE = "/tests-en-ligne/entrainement"
API = "/api/v1/testing/training"

PAGES = [
    (f"{BASE}/", PEOPLE),
    (f"{BASE}/seance/{{run}}/", OWNER),
    (f"{BASE}/seance/{{run}}/questions/{{answered}}/correction/", OWNER),
    (f"{BASE}/seance/{{run}}/bilan/", OWNER),
    (f"{API}/competences", PEOPLE),
    (f"{API}/due", PEOPLE),
    (f"{API}/progress", PEOPLE),
    (f"{API}/sessions/{{run}}", OWNER),
    (f"{API}/sessions/{{run}}/question", OWNER),
]
# (url template, the answer of each allowed role to an empty form). Each role acts on a world of its
# own; every other role is refused and nothing changes.
POSTS = [
    # Starting resumes the candidate's session; the other candidate starts their own.
    (f"{BASE}/competence/{{part}}/{{competence}}/", dict.fromkeys(PEOPLE, 302)),
    # No option chosen: the question is shown again with the error.
    (f"{BASE}/seance/{{run}}/questions/{{pending}}/", {"candidate": 200}),
    (f"{BASE}/seance/{{run}}/terminer/", {"candidate": 302}),
]
API_WRITES = [
    ("post", f"{API}/sessions", {"part": "crcn-edu", "competence": "1.1"}, dict.fromkeys(PEOPLE, 200)),
    # A stale key: refused with 409, nothing stored.
    (
        "post",
        f"{API}/sessions/{{run}}/questions/{{pending}}/answer",
        {"key": "x", "choices": ["a"]},
        {"candidate": 409},
    ),
    ("post", f"{API}/sessions/{{run}}/finish", {}, {"candidate": 200}),
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
