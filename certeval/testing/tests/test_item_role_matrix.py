"""Every item-bank page and API operation, for every role. Writers of the bank use them all; the
bank's managers (organisers running a campaign of the bank as a whole) see its home and coverage;
the writers page is the administrators'. A writer of another bank, an organiser limited to an
academy and a candidate get 404 — the same answer as for an absent bank —; anonymous visitors are
sent to sign in (pages) or get 401 (API). A refused write changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from certeval.accounts.tests.matrix import World, assert_api_write, assert_get_matrix, assert_post_matrix
from certeval.campaigns.tests.factories import UserFactory, organiser_of
from certeval.domain.items.content import Usage
from certeval.testing.item_services import item_create, item_submit
from certeval.testing.models import ItemWriter
from certeval.testing.tests.factories import academy, campaign_of, enrolment_in
from certeval.testing.tests.item_factories import BANK, bank, record, writer

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "writer",
    "other_writer",
    "organiser",
    "academy_organiser",
    "administrator",
]


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path
    bank()
    campaign = campaign_of(BANK)
    enrolment = enrolment_in(campaign, "lyon")
    admin = UserFactory(is_superuser=True, is_staff=True)
    the_writer = writer()
    other = UserFactory()
    ItemWriter.objects.create(bank="autre-banque", user=other)
    with_files = record(
        "t-001",
        content={"image_alt": "Un schéma"},
    )
    item = item_create(
        bank=BANK,
        record=with_files,
        actor=admin,
        image=("schema.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
        attachment=("notes.csv", b"eleve;note\nA;12\n"),
    )
    item_submit(item=item, actor=admin)
    plain = item_create(bank=BANK, record=record("t-002", usage=Usage.PRACTICE), actor=admin)
    users = {
        "candidate": enrolment.candidate.user,
        "writer": the_writer,
        "other_writer": other,
        "organiser": organiser_of(campaign),
        "academy_organiser": organiser_of(campaign, academy=academy("lyon")),
        "administrator": admin,
    }
    return World(users, {"bank": BANK, "item": item.pk, "plain": plain.pk, "fmt": "qti"})  # type: ignore[dict-item]


WRITERS = {"writer", "administrator"}
READERS = {"writer", "organiser", "administrator"}
ADMIN = {"administrator"}

PAGES = [
    ("/banque-de-questions/", READERS),
    ("/banque-de-questions/{bank}/", READERS),
    ("/banque-de-questions/{bank}/questions/", WRITERS),
    ("/banque-de-questions/{bank}/questions/nouvelle/", WRITERS),
    ("/banque-de-questions/{bank}/questions/{item}/", WRITERS),
    ("/banque-de-questions/{bank}/questions/{item}/modifier/", WRITERS),
    ("/banque-de-questions/{bank}/questions/{item}/apercu/", WRITERS),
    ("/banque-de-questions/{bank}/questions/{item}/historique/", WRITERS),
    ("/banque-de-questions/{bank}/relecture/", WRITERS),
    ("/banque-de-questions/{bank}/couverture/", READERS),
    ("/banque-de-questions/{bank}/import-export/", WRITERS),
    ("/banque-de-questions/{bank}/export/{fmt}/", WRITERS),
    ("/banque-de-questions/{bank}/redacteurs/", ADMIN),
    ("/api/v1/testing/banks/{bank}/items", WRITERS),
    ("/api/v1/testing/banks/{bank}/items/{item}", WRITERS),
    ("/api/v1/testing/banks/{bank}/items/export", WRITERS),
]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


# (url template, the answer of each allowed role to an empty form). Each role acts on a world of its
# own; every other role is refused and nothing changes.
POSTS = [
    ("/banque-de-questions/{bank}/questions/nouvelle/", dict.fromkeys(WRITERS, 200)),
    ("/banque-de-questions/{bank}/questions/{item}/modifier/", dict.fromkeys(WRITERS, 200)),
    ("/banque-de-questions/{bank}/questions/{item}/apercu/", dict.fromkeys(WRITERS, 200)),
    # The writer is not the author: the review form comes back with its error; the author
    # (the administrator) is sent to the item.
    ("/banque-de-questions/{bank}/questions/{item}/relecture/", {"writer": 200, "administrator": 302}),
    ("/banque-de-questions/{bank}/questions/{plain}/soumettre/", dict.fromkeys(WRITERS, 302)),
    ("/banque-de-questions/{bank}/questions/{item}/statut/", dict.fromkeys(WRITERS, 302)),
    ("/banque-de-questions/{bank}/import-export/", dict.fromkeys(WRITERS, 200)),
    ("/banque-de-questions/{bank}/redacteurs/", dict.fromkeys(ADMIN, 200)),
]
API_WRITES: list[tuple[str, str, dict[str, Any], dict[str, int]]] = [
    ("post", "/api/v1/testing/banks/{bank}/items", {}, dict.fromkeys(WRITERS, 422)),
]
CASES = [(row, role) for row in POSTS for role in ROLES]
API_CASES = [(row, role) for row in API_WRITES for role in ROLES]


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{r[0]}-{role}" for r, role in CASES])
def test_post_matrix(world: World, row: tuple[str, dict[str, int]], role: str) -> None:
    assert_post_matrix(world, role, *row)


@pytest.mark.parametrize(("row", "role"), API_CASES, ids=[f"{r[0]}-{r[1]}-{role}" for r, role in API_CASES])
def test_api_write_matrix(
    world: World, row: tuple[str, str, dict[str, Any], dict[str, int]], role: str
) -> None:
    assert_api_write(world, role, *row)
