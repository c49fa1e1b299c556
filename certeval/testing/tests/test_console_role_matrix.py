"""Every page and form of the invigilator console and of the organiser's pages about proctored sessions,
for every role: the console is opened by the session's invigilators, the organisers who run the
campaign and administrators (anyone else signed in gets 404, as for a session that does not exist; an
anonymous visitor is sent to the opening form, where the session's password opens it); the campaign's
sessions and settings are for those who run the campaign; incidents are decided by organisers within
their academy. A refused write changes nothing."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import World, assert_get_matrix, client_for, fingerprint
from certeval.campaigns.models import CampaignRole, ReviewerAssignment
from certeval.campaigns.tests.factories import SessionFactory, UserFactory, organiser_of
from certeval.testing import console_services as console
from certeval.testing import sitting_services as candidate
from certeval.testing.models import SessionDelivery
from certeval.testing.tests.factories import academy
from certeval.testing.tests.sitting_factories import proctored_session
from certeval.testing.tests.test_sittings import _authorised

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "candidate",
    "juror",
    "other_invigilator",
    "academy_organiser",
    "invigilator",
    "organiser",
    "administrator",
]


@pytest.fixture
def world() -> World:
    ps = proctored_session(2)
    campaign = ps.session.campaign
    sitting, tab = _authorised(ps)
    candidate.start(sitting_id=sitting.pk, tab=tab)
    alert = candidate.report_problem(sitting_id=sitting.pk, tab=tab, message="Image absente")
    incident = console.report_incident(
        delivery=ps.delivery,
        category="fraud",
        description="Téléphone.",
        sitting_id=sitting.pk,
        who=ps.invigilator,
    )
    other_session = SessionFactory(campaign=campaign)
    users = {
        "candidate": ps.enrolments[0].candidate.user,
        "juror": UserFactory(),
        "other_invigilator": UserFactory(),
        "academy_organiser": organiser_of(campaign, academy=academy("nantes")),
        "invigilator": UserFactory(),
        "organiser": ps.organiser,
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    ReviewerAssignment.objects.create(enrolment=ps.enrolments[0], user=users["juror"], role="juror")
    CampaignRole.objects.create(campaign=campaign, user=users["juror"], role="juror")
    CampaignRole.objects.create(
        campaign=campaign, user=users["other_invigilator"], role="invigilator", session=other_session
    )
    CampaignRole.objects.create(
        campaign=campaign, user=users["invigilator"], role="invigilator", session=ps.session
    )
    ids = {
        "delivery": ps.delivery.pk,
        "sitting": sitting.pk,
        "alert": alert.pk,
        "incident": incident.pk,
        "campaign": campaign.pk,
        "session": other_session.pk,
    }
    return World(users, ids)  # type: ignore[arg-type]


EVERYONE = set(ROLES)
CONSOLE = {"invigilator", "organiser", "administrator"}
RUNS = {"organiser", "administrator"}
DECIDES = {"organiser", "academy_organiser", "administrator"}

PAGES = [
    ("/surveillance/", EVERYONE),
    ("/surveillance/{delivery}/", CONSOLE),
    ("/surveillance/{delivery}/direct/", CONSOLE),
    ("/surveillance/{delivery}/signalements/", CONSOLE),
    ("/surveillance/{delivery}/finalisation/", CONSOLE),
    ("/surveillance/{delivery}/candidats/{sitting}/messages/", CONSOLE),
    ("/surveillance/campagne/{campaign}/", RUNS),
    ("/surveillance/incidents/", DECIDES),
]

CANDIDATE = "/surveillance/{delivery}/candidats/{sitting}/"
# (url template, the answer of each allowed role to an empty form): 302 when the page comes back with a
# message (post/redirect/get), 200 when the form comes back with its errors.
POSTS = [
    ("/surveillance/ouvrir/", dict.fromkeys(EVERYONE, 200)),
    (CANDIDATE + "presence/", dict.fromkeys(CONSOLE, 302)),
    (CANDIDATE + "identite/", dict.fromkeys(CONSOLE, 200)),
    (CANDIDATE + "autorisation/", dict.fromkeys(CONSOLE, 302)),
    (CANDIDATE + "pause/", dict.fromkeys(CONSOLE, 302)),
    (CANDIDATE + "reprise/", dict.fromkeys(CONSOLE, 302)),
    (CANDIDATE + "temps/", dict.fromkeys(CONSOLE, 200)),
    (CANDIDATE + "arret/", dict.fromkeys(CONSOLE, 200)),
    (CANDIDATE + "message/", dict.fromkeys(CONSOLE, 200)),
    ("/surveillance/{delivery}/signalements/{alert}/", dict.fromkeys(CONSOLE, 302)),
    ("/surveillance/{delivery}/incidents/", dict.fromkeys(CONSOLE, 200)),
    ("/surveillance/{delivery}/finalisation/", dict.fromkeys(CONSOLE, 200)),
    ("/surveillance/{delivery}/quitter/", dict.fromkeys(CONSOLE, 302)),
    ("/surveillance/campagne/{campaign}/reglages/", dict.fromkeys(RUNS, 200)),
    ("/surveillance/campagne/{campaign}/sessions/{session}/ouvrir/", dict.fromkeys(RUNS, 302)),
    ("/surveillance/incidents/{incident}/decision/", dict.fromkeys(RUNS, 200)),
]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


def _refused(world: World, role: str, url: str, console_url: bool) -> None:
    before = fingerprint()
    response = client_for(world, role).post(url, {})
    if role == "anonymous":
        # The console's forms send a visitor without a grant to the opening form; the organiser's to
        # the sign-in page.
        expected = f"/surveillance/?session={world.ids['delivery']}" if console_url else "/comptes/connexion/"
        assert response.status_code == 302 and expected in response["Location"], (role, url)
    else:
        assert response.status_code == 404, (role, url, response.status_code)
    assert fingerprint() == before, (role, url)


@pytest.mark.parametrize(("template", "answers"), POSTS, ids=[p[0] for p in POSTS])
def test_post_matrix(world: World, template: str, answers: dict[str, int]) -> None:
    """Refused roles first (nothing changes), then each allowed role gets its answer."""
    url = template.format(**world.ids)
    console_url = template.startswith("/surveillance/{delivery}/")
    for role in [r for r in ROLES if r not in answers]:
        _refused(world, role, url, console_url)
        if role != "anonymous":
            _refused(world, role, template.format(**dict.fromkeys(world.ids, 999999)), False)
    for role in [r for r in ROLES if r in answers]:
        response = client_for(world, role).post(url, {})
        assert response.status_code == answers[role], (role, response.status_code, response.content[:300])


def test_a_password_grant_opens_that_console_only(world: World) -> None:
    delivery = SessionDelivery.objects.get(pk=world.ids["delivery"])
    client = client_for(world, "juror")
    url = f"/surveillance/{delivery.pk}/"
    assert client.get(url).status_code == 404
    client.post(
        "/surveillance/ouvrir/", {"number": delivery.pk, "password": delivery.invigilator_code, "name": "Jo"}
    )
    assert client.get(url).status_code == 200
    # Not the organiser's pages, and not the incidents.
    assert client.get(f"/surveillance/campagne/{world.ids['campaign']}/").status_code == 404
    assert client.get("/surveillance/incidents/").status_code == 404
