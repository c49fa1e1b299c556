"""Who gets an item version's image and attached file: the bank's writers and managers, and the
candidate it was served to; any other role gets 404 (a certification item never leaks), anonymous
visitors are sent to sign in."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from certeval.accounts.tests.matrix import World, assert_get_matrix, client_for
from certeval.campaigns.tests.factories import CandidateFactory, UserFactory, organiser_of
from certeval.testing.answer_services import serve
from certeval.testing.models import ItemWriter, Run
from certeval.testing.tests.calibration_factories import BANK, make_items
from certeval.testing.tests.factories import academy, campaign_of, enrolment_in

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "other_candidate",
    "writer",
    "organiser",
    "academy_organiser",
    "administrator",
]
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


@pytest.fixture
def world(settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    campaign = campaign_of(BANK)
    enrolment = enrolment_in(campaign, "lyon")
    version = make_items(1)[0].current
    version.image.save("schema.svg", ContentFile(SVG), save=False)
    version.image_alt = "Un carré noir."
    version.attachment.save("notes.csv", ContentFile(b"nom;note\nA;12\n"), save=False)
    version.save()
    run = Run.objects.create(
        candidate=enrolment.candidate, kind=Run.Kind.PLACEMENT, bank=BANK, bank_version=1
    )
    with transaction.atomic():
        serve(run, version)
    writer = UserFactory()
    ItemWriter.objects.create(bank=BANK, user=writer)
    users = {
        "candidate": enrolment.candidate.user,
        "other_candidate": CandidateFactory().user,
        "writer": writer,
        "organiser": organiser_of(campaign),
        "academy_organiser": organiser_of(campaign, academy=academy("lyon")),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    return World(users, {"version": version.pk})  # type: ignore[dict-item]


ALLOWED = {"candidate", "writer", "organiser", "administrator"}
PAGES = [
    ("/fichiers-de-question/{version}/image/", ALLOWED),
    ("/fichiers-de-question/{version}/fichier/", ALLOWED),
]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


def test_an_svg_is_served_as_an_inert_image_and_a_file_as_a_download(world: World) -> None:
    client = client_for(world, "candidate")
    image = client.get("/fichiers-de-question/{version}/image/".format(**world.ids))
    assert image["Content-Type"] == "image/svg+xml"
    assert "sandbox" in image["Content-Security-Policy"]
    assert b"".join(image.streaming_content).startswith(b"<svg")
    download = client.get("/fichiers-de-question/{version}/fichier/".format(**world.ids))
    assert download["Content-Disposition"].startswith("attachment")
