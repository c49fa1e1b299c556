"""Open Badges credentials, for every role. The issuer profile, its keys (controller document, JWKS,
each JWK), the status lists and the CASE items the achievements align to are public; a credential's
downloads (JSON, VC-JWT, baked PNG) are its holder's only: anyone else gets 404 (organisers and
administrators included), anonymous visitors are sent to sign in."""

from __future__ import annotations

import pytest
from django.test import Client

from certeval.accounts.tests.matrix import World, assert_get_matrix
from certeval.campaigns.tests.factories import UserFactory
from certeval.results.credential_keys import keys_ensure
from certeval.results.credential_services import credential_for
from certeval.results.models import Award
from certeval.results.tests.credential_fixtures import certified_campaign

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "holder", "other_candidate", "organiser", "administrator"]


@pytest.fixture
def world() -> World:
    jc = certified_campaign()
    other = certified_campaign()
    award = Award.objects.get(candidate=jc.enrolments[0].candidate)
    _ed25519, rsa = keys_ensure()
    users = {
        "holder": jc.enrolments[0].candidate.user,
        "other_candidate": other.enrolments[0].candidate.user,
        "organiser": jc.organiser,
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    alignment = credential_for(award).document["credentialSubject"]["achievement"]["alignment"][0]
    _base, framework, _case, kind, identifier = alignment["targetUrl"].rsplit("/", 4)
    ids = {
        "award": award.pk,
        "kid": rsa.kid,
        "list": 0,
        "framework": framework,
        "kind": kind,
        "identifier": identifier,
    }
    return World(users, ids)  # type: ignore[arg-type]


PUBLIC = set(ROLES)
PAGES = [
    ("/openbadges/issuer", PUBLIC),
    ("/openbadges/issuer/keys", PUBLIC),
    ("/openbadges/issuer/jwks.json", PUBLIC),
    ("/openbadges/issuer/jwk/{kid}", PUBLIC),
    ("/openbadges/status/{list}", PUBLIC),
    ("/referentiels/{framework}/case/{kind}/{identifier}", PUBLIC),
    ("/mes-attestations/{award}/openbadge.json", {"holder"}),
    ("/mes-attestations/{award}/openbadge.jwt", {"holder"}),
    ("/mes-attestations/{award}/openbadge.png", {"holder"}),
]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


def test_case_nodes_of_another_kind_or_identifier_are_absent(world: World) -> None:
    base = f"/referentiels/{world.ids['framework']}/case"
    assert Client().get(f"{base}/CFItems/00000000-0000-4000-8000-000000000000").status_code == 404
    assert Client().get(f"{base}/CFRubrics/{world.ids['identifier']}").status_code == 404
    package = Client().get(f"/referentiels/{world.ids['framework']}/export.case.json").json()
    document = Client().get(f"{base}/CFDocuments/{package['CFDocument']['identifier']}")
    assert document.status_code == 200 and document.json()["uri"] == package["CFDocument"]["uri"]
    item = Client().get(f"{base}/CFItems/{world.ids['identifier']}").json()
    assert item["uri"].endswith(f"/case/CFItems/{world.ids['identifier']}")
