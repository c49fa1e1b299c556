"""Every URL and API endpoint of campaigns and dossiers, for every role: allowed, or 404 — the same
answer for an object that is absent and one that is forbidden; anonymous visitors are sent to sign in
(pages) or get 401 (API)."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from certeval.accounts.tests.matrix import World, assert_get_matrix, client_for
from certeval.campaigns.models import CampaignRole, ReviewerAssignment
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
        "invigilator": UserFactory(),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    ReviewerAssignment.objects.create(enrolment=enrolment, user=users["juror"], role="juror")
    ReviewerAssignment.objects.create(enrolment=enrolment, user=users["president"], role="president")
    CampaignRole.objects.create(campaign=campaign, user=users["organiser"], role="organiser")
    CampaignRole.objects.create(campaign=other_campaign, user=users["other_organiser"], role="organiser")
    CampaignRole.objects.create(
        campaign=campaign, user=users["invigilator"], role="invigilator", session=session
    )
    return World(
        users, {"campaign": campaign.pk, "session": session.pk, "enrolment": enrolment.pk, "file": stored.pk}
    )


ALL = set(ROLES) - {"anonymous"}
MANAGERS = {"organiser", "administrator"}
READERS = {"candidate", "juror", "president", "organiser", "administrator"}
OWN_OR_MANAGED = {"candidate", "organiser", "administrator"}

# (url template, roles allowed); every other signed-in role gets 404.
PAGES = [
    ("/campagnes/", MANAGERS | {"other_organiser", "invigilator"}),
    ("/campagnes/nouvelle/", MANAGERS | {"other_organiser"}),
    ("/campagnes/dossiers-a-lire/", ALL),
    ("/campagnes/{campaign}/", MANAGERS),
    ("/campagnes/{campaign}/roles/", MANAGERS),
    ("/campagnes/{campaign}/journal/", MANAGERS),
    ("/journal/", {"administrator"}),
    ("/campagnes/{campaign}/sessions/nouvelle/", MANAGERS),
    ("/campagnes/{campaign}/candidats/", MANAGERS),
    ("/campagnes/{campaign}/candidats/inscrire/", MANAGERS),
    ("/campagnes/{campaign}/candidats/importer/", MANAGERS),
    ("/campagnes/sessions/{session}/", MANAGERS | {"invigilator"}),
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
    # Nothing is published in this world: nobody gets a bordereau (see juries/tests/test_candidate_results.py).
    ("/mes-certifications/{enrolment}/bordereau.pdf", set()),
    ("/api/v1/campaigns/", ALL),
    ("/api/v1/campaigns/{campaign}", MANAGERS),
    ("/api/v1/campaigns/{campaign}/sessions", MANAGERS | {"invigilator"}),
    ("/api/v1/campaigns/{campaign}/enrolments", MANAGERS),
    ("/api/v1/dossiers/{enrolment}", READERS),
    ("/api/v1/dossiers/{enrolment}/receipt", READERS),
    ("/api/v1/dossiers/files/{file}/content", READERS),
    ("/api/v1/campaigns/enrolments/{enrolment}/prerequisites", OWN_OR_MANAGED),
    ("/api/v1/testing/enrolments/{enrolment}/automated-result", OWN_OR_MANAGED),
    ("/api/v1/campaigns/{campaign}/roles", MANAGERS),
    ("/api/v1/audit/", {"administrator"}),
    ("/api/v1/audit/campaigns/{campaign}", MANAGERS),
    ("/api/v1/results/{enrolment}", {"candidate"}),
]
POSTS = [
    ("/campagnes/{campaign}/etat/", MANAGERS, {"to_state": "archived"}),
    ("/campagnes/{campaign}/rappels/", MANAGERS, {}),
    ("/campagnes/{campaign}/roles/", MANAGERS, {"email": "nouveau-{role}@example.fr", "role": "invigilator"}),
    ("/campagnes/{campaign}/roles/retirer/", MANAGERS, {}),
    ("/campagnes/{campaign}/candidats/importer/confirmer/", MANAGERS, {}),
    ("/campagnes/candidats/{enrolment}/session/", MANAGERS, {}),
    ("/mes-certifications/{enrolment}/dossier/retirer/", {"candidate"}, {}),
    ("/mes-certifications/{enrolment}/dossier/soumettre/", {"candidate"}, {}),
]


# API writes: (method, url template, roles allowed, JSON body or multipart form). An allowed role gets
# an answer of the endpoint itself (done, or refused with a French message: 409/422), never 404.
API_WRITES = [
    (
        "post",
        "/api/v1/campaigns/enrolments/{enrolment}/prerequisites/trainer-experience",
        OWN_OR_MANAGED,
        {"description": "Deux ans de formation d'adultes.", "declared": "true"},
    ),
    (
        "put",
        "/api/v1/testing/enrolments/{enrolment}/automated-result",
        MANAGERS,
        {"level": "confirme", "obtained_on": "2026-01-15"},
    ),
    (
        "post",
        "/api/v1/campaigns/{campaign}/roles",
        MANAGERS,
        {"email": "api-{role}@example.fr", "role": "juror"},
    ),
]
ANSWERED = {200, 201, 204, 409, 422}


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


@pytest.mark.parametrize(("template", "allowed", "data"), POSTS, ids=[p[0] for p in POSTS])
def test_post_matrix(world: World, template: str, allowed: set[str], data: dict[str, str]) -> None:
    # Forbidden roles first, so the allowed action has not changed the world yet.
    for role in sorted(ROLES, key=lambda r: r in allowed):
        values = {key: value.format(role=role) for key, value in data.items()}
        response = client_for(world, role).post(template.format(**world.ids), values)
        if role == "anonymous":
            assert response.status_code == 302 and "/comptes/connexion/" in response["Location"], role
        elif role in allowed:
            assert response.status_code == 302, role  # the action ran or was refused with a message
        else:
            assert response.status_code == 404, role


@pytest.mark.parametrize(
    ("method", "template", "allowed", "data"), API_WRITES, ids=[w[1] for w in API_WRITES]
)
def test_api_write_matrix(
    world: World, method: str, template: str, allowed: set[str], data: dict[str, str]
) -> None:
    for role in sorted(ROLES, key=lambda r: r in allowed):
        values = {key: value.format(role=role) for key, value in data.items()}
        client = client_for(world, role)
        for url in (template.format(**world.ids), template.format(**{k: 999999 for k in world.ids})):
            if method == "post" and "trainer-experience" in url:
                response = client.post(url, values)
            else:
                response = getattr(client, method)(url, values, content_type="application/json")
            absent = "999999" in url
            if role == "anonymous":
                assert response.status_code == 401, role
            elif role in allowed and not absent:
                assert response.status_code in ANSWERED, (role, response.status_code)
            else:
                assert response.status_code == 404, (role, url)


def test_api_role_revoke_matrix(world: World) -> None:
    from certeval.campaigns.models import Campaign

    campaign = Campaign.objects.get(pk=world.ids["campaign"])
    for role in ROLES:
        grant = CampaignRole.objects.create(campaign=campaign, user=UserFactory(), role="juror")
        client = client_for(world, role)
        status = client.delete(f"/api/v1/campaigns/{campaign.pk}/roles/{grant.pk}").status_code
        absent = client.delete(f"/api/v1/campaigns/{campaign.pk}/roles/999999").status_code
        if role == "anonymous":
            assert (status, absent) == (401, 401)
        elif role in MANAGERS:
            assert (status, absent) == (204, 404), role
            assert not CampaignRole.objects.filter(pk=grant.pk).exists()
        else:
            assert (status, absent) == (404, 404), role
            assert CampaignRole.objects.filter(pk=grant.pk).exists()


def test_organiser_scoped_to_an_academy_sees_only_its_candidates(world: World) -> None:
    from certeval.accounts import permissions
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
    assert client.login(username=world.users["organiser"].email, password=PASSWORD)
