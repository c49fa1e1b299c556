"""Every URL and API endpoint of campaigns and dossiers, for every role: allowed, or 404 — the same
answer for an object that is absent and one that is forbidden; anonymous visitors are sent to sign in
(pages) or get 401 (API). A refused write changes nothing; an allowed one gets the answer its row
states. The organiser scoped to an academy runs the campaign but not the candidate of another academy."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from certeval.accounts.tests.matrix import (
    World,
    assert_get_matrix,
    assert_post_matrix,
    assert_write,
    client_for,
)
from certeval.campaigns.models import Academy, CampaignRole, ReviewerAssignment
from certeval.campaigns.tests.factories import (
    PASSWORD,
    CampaignFactory,
    EnrolmentFactory,
    SessionFactory,
    UserFactory,
    pdf_bytes,
)
from certeval.dossiers.services import dossier_file_upload, dossier_submit

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "other_candidate",
    "juror",
    "president",
    "organiser",
    "other_organiser",
    "academy_organiser",
    "invigilator",
    "administrator",
]


@pytest.fixture
def world() -> World:
    campaign = CampaignFactory()
    other_campaign = CampaignFactory()
    session = SessionFactory(campaign=campaign)
    enrolment = EnrolmentFactory(campaign=campaign, session=session)
    other = EnrolmentFactory(campaign=other_campaign)
    data = pdf_bytes(2)
    stored = dossier_file_upload(
        enrolment=enrolment,
        by=enrolment.candidate.user,
        fileobj=io.BytesIO(data),
        original_name="d.pdf",
        size=len(data),
        kind="document",
        title="Dossier",
    )
    dossier_submit(enrolment=enrolment, by=enrolment.candidate.user)
    enrolment.trainer_attestation_name = "attestation.pdf"
    enrolment.trainer_attestation_storage = default_storage.save(
        "prerequis/test/attestation.pdf", io.BytesIO(data)
    )
    enrolment.save(update_fields=["trainer_attestation_name", "trainer_attestation_storage"])
    users = {
        "candidate": enrolment.candidate.user,
        "other_candidate": other.candidate.user,
        "juror": UserFactory(),
        "president": UserFactory(),
        "organiser": UserFactory(),
        "other_organiser": UserFactory(),
        "academy_organiser": UserFactory(),
        "invigilator": UserFactory(),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    ReviewerAssignment.objects.create(enrolment=enrolment, user=users["juror"], role="juror")
    ReviewerAssignment.objects.create(enrolment=enrolment, user=users["president"], role="president")
    CampaignRole.objects.create(campaign=campaign, user=users["organiser"], role="organiser")
    CampaignRole.objects.create(campaign=other_campaign, user=users["other_organiser"], role="organiser")
    elsewhere = Academy.objects.exclude(pk=enrolment.academy_id).first() or Academy.objects.create(
        code="ailleurs", name="Ailleurs"
    )
    CampaignRole.objects.create(
        campaign=campaign, user=users["academy_organiser"], role="organiser", academy=elsewhere
    )
    grant = CampaignRole.objects.create(campaign=campaign, user=UserFactory(), role="juror")
    CampaignRole.objects.create(
        campaign=campaign, user=users["invigilator"], role="invigilator", session=session
    )
    return World(
        users,
        {
            "campaign": campaign.pk,
            "session": session.pk,
            "enrolment": enrolment.pk,
            "file": stored.pk,
            "role": grant.pk,
        },
    )


ALL = set(ROLES) - {"anonymous"}
MANAGERS = {"organiser", "administrator"}
# The campaign's organisers, the one scoped to another academy included (campaign-level pages).
CAMPAIGN = MANAGERS | {"academy_organiser"}
READERS = {"candidate", "juror", "president", "organiser", "administrator"}
OWN_OR_MANAGED = {"candidate", "organiser", "administrator"}

# (url template, roles allowed); every other signed-in role gets 404.
PAGES = [
    ("/campagnes/", CAMPAIGN | {"other_organiser", "invigilator"}),
    ("/campagnes/nouvelle/", CAMPAIGN | {"other_organiser"}),
    ("/campagnes/dossiers-a-lire/", ALL),
    ("/campagnes/{campaign}/", CAMPAIGN),
    ("/campagnes/{campaign}/roles/", CAMPAIGN),
    ("/campagnes/{campaign}/modifier/", MANAGERS),
    ("/campagnes/candidats/{enrolment}/modifier/", MANAGERS),
    ("/campagnes/{campaign}/journal/", CAMPAIGN),
    ("/journal/", {"administrator"}),
    ("/campagnes/{campaign}/sessions/nouvelle/", MANAGERS),
    ("/campagnes/{campaign}/candidats/", CAMPAIGN),
    ("/campagnes/{campaign}/candidats/inscrire/", CAMPAIGN),
    ("/campagnes/{campaign}/candidats/importer/", CAMPAIGN),
    ("/campagnes/sessions/{session}/", MANAGERS | {"invigilator"}),
    ("/campagnes/sessions/{session}/emargement.pdf", MANAGERS | {"invigilator"}),
    ("/campagnes/{campaign}/sessions/emargements.zip", MANAGERS | {"invigilator"}),
    ("/campagnes/candidats/{enrolment}/", READERS | {"invigilator"}),
    ("/campagnes/candidats/{enrolment}/prerequis/", OWN_OR_MANAGED),
    ("/campagnes/candidats/{enrolment}/attestation/", OWN_OR_MANAGED),
    ("/mes-certifications/{enrolment}/historique/", OWN_OR_MANAGED),
    ("/mes-certifications/", ALL),
    ("/mes-certifications/{enrolment}/dossier/", {"candidate"}),
    ("/mes-certifications/{enrolment}/recepisse/", READERS),
    ("/mes-certifications/{enrolment}/recepisse.pdf", READERS),
    ("/dossiers/fichiers/{file}/", READERS),
    ("/mes-certifications/{enrolment}/resultat/", {"candidate"}),
    # Nothing is published in this world: nobody gets a bordereau (see results/tests/test_candidate_results.py).
    ("/mes-certifications/{enrolment}/bordereau.pdf", set()),
    ("/api/v1/campaigns/", ALL),
    ("/api/v1/campaigns/{campaign}", CAMPAIGN),
    ("/api/v1/campaigns/{campaign}/sessions", MANAGERS | {"invigilator"}),
    ("/api/v1/campaigns/{campaign}/enrolments", CAMPAIGN),
    ("/api/v1/dossiers/{enrolment}", READERS),
    ("/api/v1/dossiers/{enrolment}/receipt", READERS),
    ("/api/v1/dossiers/files/{file}/content", READERS),
    ("/api/v1/campaigns/enrolments/{enrolment}/prerequisites", OWN_OR_MANAGED),
    ("/api/v1/testing/enrolments/{enrolment}/automated-result", OWN_OR_MANAGED),
    ("/api/v1/campaigns/{campaign}/roles", CAMPAIGN),
    ("/api/v1/audit/", {"administrator"}),
    ("/api/v1/campaigns/{campaign}/audit", CAMPAIGN),
    ("/api/v1/results/{enrolment}", {"candidate"}),
]


# (url template, form data, the answer of each allowed role). Each role acts on a world of its own;
# every other role is refused and nothing changes.
def _answer(roles: set[str], status: int, **others: int) -> dict[str, int]:
    return {**dict.fromkeys(roles, status), **others}


POSTS = [
    ("/campagnes/{campaign}/etat/", {"to_state": "deposit_closed"}, _answer(MANAGERS, 302)),
    ("/campagnes/{campaign}/rappels/", {}, _answer(MANAGERS, 302)),
    (
        "/campagnes/{campaign}/roles/",
        {"email": "nouveau@example.fr", "role": "invigilator"},
        # The academy's organiser grants organiser roles of their academy only: the form says so.
        _answer(MANAGERS, 302, academy_organiser=200),
    ),
    ("/campagnes/{campaign}/roles/retirer/", {}, _answer(CAMPAIGN, 302)),
    ("/campagnes/{campaign}/candidats/importer/confirmer/", {}, _answer(CAMPAIGN, 302)),
    ("/campagnes/candidats/{enrolment}/session/", {}, _answer(MANAGERS, 302)),
    ("/campagnes/{campaign}/candidats/session/", {}, _answer(CAMPAIGN, 302)),
    ("/mes-certifications/{enrolment}/dossier/retirer/", {}, _answer({"candidate"}, 302)),
    ("/mes-certifications/{enrolment}/dossier/soumettre/", {}, _answer({"candidate"}, 302)),
]

# API writes: (method, url template, JSON body or multipart form, the answer of each allowed role:
# done, or refused with a message of the endpoint itself — never 404). ``{academy}`` in a body is
# the code of the candidate's academy.
API_WRITES = [
    (
        "post",
        "/api/v1/campaigns/enrolments/{enrolment}/prerequisites/trainer-experience",
        {"description": "Deux ans de formation d'adultes.", "declared": "true"},
        # This référentiel asks for no trainer experience.
        _answer(OWN_OR_MANAGED, 422),
    ),
    (
        "put",
        "/api/v1/testing/enrolments/{enrolment}/automated-result",
        {"level": "confirme", "obtained_on": "2026-01-15"},
        _answer(MANAGERS, 200),
    ),
    (
        "post",
        "/api/v1/campaigns/{campaign}/roles",
        {"email": "api@example.fr", "role": "juror"},
        _answer(MANAGERS, 201),
    ),
    ("delete", "/api/v1/campaigns/{campaign}/roles/{role}", {}, _answer(MANAGERS, 204)),
    (
        "post",
        "/api/v1/campaigns/{campaign}/transitions",
        {"to_state": "deposit_closed"},
        _answer(MANAGERS, 409),
    ),
    (
        "post",
        "/api/v1/campaigns/{campaign}/sessions",
        {
            "label": "Session API",
            "starts_at": "2030-01-15T09:00:00+01:00",
            "ends_at": "2030-01-15T12:00:00+01:00",
        },
        _answer(MANAGERS, 201),
    ),
    (
        "post",
        "/api/v1/campaigns/{campaign}/enrolments",
        {
            "birth_name": "Api",
            "first_names": "Inès",
            "birth_date": "1990-05-04",
            "email": "inscrite-api@example.fr",
            "academy": "{academy}",
            "school_level": "second",
            "training": "continue",
        },
        # The academy's organiser enrols in their own academy only: refused with a message.
        _answer(MANAGERS, 201, academy_organiser=409),
    ),
    (
        "post",
        "/api/v1/dossiers/{enrolment}/files",
        {"kind": "document", "title": "Annexe"},
        _answer({"candidate"}, 422),
    ),
    ("post", "/api/v1/dossiers/{enrolment}/freeze", {}, _answer({"candidate"}, 409)),
]


def _cases(rows: list[tuple], width: int) -> list[tuple]:
    return [(*row[:width], role) for row in rows for role in ROLES]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


@pytest.mark.parametrize(
    ("template", "data", "answers", "role"),
    _cases(POSTS, 3),
    ids=[f"{p[0]}-{role}" for p in POSTS for role in ROLES],
)
def test_post_matrix(
    world: World, template: str, data: dict[str, str], answers: dict[str, int], role: str
) -> None:
    assert_post_matrix(world, role, template, answers, data)


def _send(method: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    def send(client: Client, url: str):  # type: ignore[no-untyped-def]
        if url.endswith("/files"):
            return client.post(url, {**data, "file": io.BytesIO(pdf_bytes(1))})
        if "trainer-experience" in url:
            return client.post(url, data)
        return getattr(client, method)(url, data, content_type="application/json")

    return send


@pytest.mark.parametrize(
    ("method", "template", "data", "answers", "role"),
    _cases(API_WRITES, 4),
    ids=[f"{w[0]}-{w[1]}-{role}" for w in API_WRITES for role in ROLES],
)
def test_api_write_matrix(
    world: World, method: str, template: str, data: dict[str, str], answers: dict[str, int], role: str
) -> None:
    from certeval.campaigns.models import Enrolment

    academy = Enrolment.objects.get(pk=world.ids["enrolment"]).academy.code
    send = _send(method, {key: value.format(academy=academy) for key, value in data.items()})
    assert_write(world, role, send, template, answers, unknown_ids=True)


def test_organiser_scoped_to_an_academy_sees_only_its_candidates(world: World) -> None:
    from certeval.campaigns import permissions
    from certeval.campaigns.models import Academy, Campaign

    campaign = Campaign.objects.get(pk=world.ids["campaign"])
    enrolment = campaign.enrolments.get(pk=world.ids["enrolment"])
    lyon = Academy.objects.exclude(pk=enrolment.academy_id).first() or Academy.objects.create(
        code="x", name="X"
    )
    in_lyon = EnrolmentFactory(campaign=campaign, academy=lyon)
    scoped = UserFactory()
    CampaignRole.objects.create(campaign=campaign, user=scoped, role="organiser", academy=lyon)
    assert list(permissions.enrolments_managed(scoped)) == [in_lyon]
    client = Client()
    client.force_login(scoped)
    assert client.get(f"/campagnes/candidats/{in_lyon.pk}/").status_code == 200
    assert client.get(f"/campagnes/candidats/{world.ids['enrolment']}/").status_code == 404


def test_jurors_read_only_frozen_dossiers_of_their_assignments(world: World) -> None:
    draft = EnrolmentFactory(campaign_id=world.ids["campaign"])
    ReviewerAssignment.objects.create(enrolment=draft, user=world.users["juror"], role="juror")
    client = client_for(world, "juror")
    assert client.get(f"/api/v1/dossiers/{draft.pk}").status_code == 404
    assert client.get(f"/api/v1/dossiers/{world.ids['enrolment']}").status_code == 200


def test_password_login_works(world: World) -> None:
    client = Client()
    answer = client.post(
        "/comptes/connexion/", {"username": world.users["organiser"].email, "password": PASSWORD}
    )
    assert answer.status_code == 302 and client.session.get("_auth_user_id") == str(
        world.users["organiser"].pk
    )
