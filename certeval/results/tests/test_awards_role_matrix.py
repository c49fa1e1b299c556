"""Every page and API operation of awards, for every role: the holder alone lists their awards,
downloads their PDF and chooses what is shown (« Mes attestations » lists only one's own awards, so any
signed-in person opens it); the public verification page and API answer everyone; a campaign's
awards and their revocation are for administrators and organisers of the whole campaign — an
academy-scoped organiser, another campaign's organiser and candidates get 404, as for an absent
campaign. A refused write changes nothing."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from certeval.accounts.tests.matrix import World, assert_get_matrix, assert_post_matrix
from certeval.campaigns.models import Enrolment
from certeval.campaigns.tests.factories import UserFactory, organiser_of
from certeval.juries.tests.factories import academy, jury_campaign
from certeval.results.models import Award
from certeval.results.tests.test_candidate_results import decide_pix, publish
from certeval.testing.tests.factories import campaign_of

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "other_candidate",
    "organiser",
    "academy_organiser",
    "other_organiser",
    "administrator",
]
SIGNED_IN = set(ROLES) - {"anonymous"}
MANAGERS = {"organiser", "administrator"}


@pytest.fixture
def world() -> World:
    cache.clear()
    jc = jury_campaign(candidates=2)
    decide_pix(jc)
    Enrolment.objects.filter(pk=jc.enrolments[1].pk).update(
        status=Enrolment.Status.WITHDRAWN, status_reason="Désisté"
    )
    publish(jc)
    award = Award.objects.get(enrolment=jc.enrolments[0])
    users = {
        "candidate": jc.enrolments[0].candidate.user,
        "other_candidate": jc.enrolments[1].candidate.user,
        "organiser": jc.organiser,
        "academy_organiser": organiser_of(jc.campaign, academy=academy("lyon")),
        "other_organiser": organiser_of(campaign_of()),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    return World(users, {"campaign": jc.campaign.pk, "award": award.pk, "code": award.code})  # type: ignore[dict-item]


PAGES = [
    ("/mes-attestations/", SIGNED_IN),
    ("/mes-attestations/{award}/attestation.pdf", {"candidate"}),
    ("/verifier/", set(ROLES)),
    ("/verifier/{code}/", set(ROLES)),
    ("/campagnes/{campaign}/attestations/", MANAGERS),
    ("/api/v1/verification/{code}", set(ROLES)),
]
POSTS = [
    # The holder's choices: saved, back to their list.
    ("/mes-attestations/{award}/affichage/", {"candidate": 302}),
    # No reason: the page again with its error, nothing revoked.
    ("/campagnes/{campaign}/attestations/{award}/revoquer/", {"organiser": 400, "administrator": 400}),
]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


@pytest.mark.parametrize(("template", "answers"), POSTS, ids=[p[0] for p in POSTS])
def test_post_matrix(world: World, template: str, answers: dict[str, int]) -> None:
    for role in ROLES:
        assert_post_matrix(world, role, template, answers)
    assert not Award.objects.filter(revoked_at__isnull=False).exists()
