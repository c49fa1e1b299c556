"""The Caisse des Dépôts declaration pages, for every role. The page opens to administrators and the
campaign's organisers (an academy-limited organiser sees their academy's holders only); producing,
downloading the flux and importing the acknowledgement belong to administrators and organisers of
the whole campaign; a holder's correction to organisers within the holder's academy; the declaration
settings to administrators. Everyone else gets 404, as for an absent id, and nothing changes."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import World, assert_get_matrix, assert_post_matrix
from certeval.campaigns.tests.factories import UserFactory, organiser_of
from certeval.juries.tests.factories import academy
from certeval.results.models import CdcPassage, CdcSubmission
from certeval.results.tests.cdc_fixtures import XSD, declared_campaign
from certeval.testing.tests.factories import campaign_of

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "organiser",
    "academy_organiser",
    "other_academy_organiser",
    "other_organiser",
    "president",
    "administrator",
]


@pytest.fixture
def world() -> World:
    jc = declared_campaign(1)
    enrolment = jc.enrolments[0]
    submission = CdcSubmission.objects.create(
        campaign=jc.campaign,
        flux_id="certeval-test-1",
        file_name="cdc.xml",
        content=b"<flux/>",
        sha256="0" * 64,
    )
    passage = CdcPassage.objects.create(enrolment=enrolment, status="sent", last_submission=submission)
    submission.passages.add(passage)
    users = {
        "candidate": enrolment.candidate.user,
        "organiser": jc.organiser,
        "academy_organiser": organiser_of(jc.campaign, academy=enrolment.academy),
        "other_academy_organiser": organiser_of(jc.campaign, academy=academy("nice")),
        "other_organiser": organiser_of(campaign_of()),
        "president": jc.president,
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    return World(users, {"campaign": jc.campaign.pk, "submission": submission.pk, "enrolment": enrolment.pk})


WHOLE = {"organiser", "administrator"}
PAGES = [
    (
        "/caisse-des-depots/campagne/{campaign}/",
        WHOLE | {"academy_organiser", "other_academy_organiser"},
    ),
    ("/caisse-des-depots/flux/{submission}/", WHOLE),
    ("/caisse-des-depots/titulaires/{enrolment}/", WHOLE | {"academy_organiser"}),
]
# The holder's data is complete: the export runs (a redirect), or is refused when the XSD is absent.
EXPORTED = 302 if XSD.is_file() else 422
POSTS = [
    ("/caisse-des-depots/campagne/{campaign}/exporter/", dict.fromkeys(WHOLE, EXPORTED)),
    # No file: the page again with the form's error.
    ("/caisse-des-depots/campagne/{campaign}/accuse/", dict.fromkeys(WHOLE, 422)),
    # An empty form is valid (every value falls back to CERTEVAL_CDC): saved, back to the page.
    ("/caisse-des-depots/campagne/{campaign}/reglages/", {"administrator": 302}),
    # Required fields missing: the form again with its errors.
    (
        "/caisse-des-depots/titulaires/{enrolment}/",
        dict.fromkeys(WHOLE | {"academy_organiser"}, 422),
    ),
]
CASES = [(row, role) for row in POSTS for role in ROLES]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


@pytest.mark.parametrize(("row", "role"), CASES, ids=[f"{r[0]}-{role}" for r, role in CASES])
def test_post_matrix(world: World, row: tuple[str, dict[str, int]], role: str) -> None:
    assert_post_matrix(world, role, *row)


def test_an_academy_organiser_sees_only_their_academys_holders(world: World) -> None:
    from certeval.accounts.tests.matrix import client_for

    url = f"/caisse-des-depots/campagne/{world.ids['campaign']}/"
    mine = client_for(world, "academy_organiser").get(url).content.decode()
    other = client_for(world, "other_academy_organiser").get(url).content.decode()
    name = world.users["candidate"].candidate.display_name
    assert name in mine and name not in other
    assert "Produire et valider le flux" not in mine
