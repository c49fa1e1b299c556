"""Every jury page and API endpoint, for every role: allowed, or 404 — the same answer as for an
absent object; anonymous visitors are sent to sign in (pages) or get 401 (API)."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import World, assert_get_matrix, client_for
from certeval.campaigns.tests.factories import UserFactory
from certeval.juries.models import Jury
from certeval.juries.services.composition import jury_group_set_president
from certeval.juries.services.deliberation import deliberation_validate
from certeval.juries.tests.factories import jury_campaign
from certeval.juries.tests.test_services import CRITERIA, _harmonise

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "juror",
    "presiding_juror",
    "other_juror",
    "president",
    "organiser",
    "other_organiser",
    "stranger",
    "administrator",
]


@pytest.fixture
def world() -> World:
    jc = jury_campaign(candidates=1)
    other = jury_campaign(candidates=1)
    slot = jc.slot()
    _harmonise(jc)
    deliberation_validate(slot=slot, actor=jc.president)
    users = {
        "juror": jc.jurors[1].user,
        "presiding_juror": jc.jurors[0].user,
        "other_juror": other.jurors[1].user,
        "president": jc.president,
        "organiser": jc.organiser,
        "other_organiser": other.organiser,
        "stranger": UserFactory(),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    return World(
        users, {"campaign": jc.campaign.pk, "jury": slot.jury_id, "slot": slot.pk, "juror": jc.jurors[0].pk}
    )


ALL = set(ROLES) - {"anonymous"}
MANAGERS = {"organiser", "administrator"}
SITTING = {"juror", "presiding_juror"}
# The jury's group has a president: they preside (certeval.juries.presidency); the juror with the
# president role ("presiding_juror") sits on the jury but does not preside it.
PRESIDING = {"president"}
JURY = SITTING | {"president"} | MANAGERS

PAGES = [
    ("/jurys/", ALL),
    ("/jurys/campagne/{campaign}/", MANAGERS),
    ("/jurys/campagne/{campaign}/vivier/", MANAGERS),
    ("/jurys/campagne/{campaign}/vivier/{juror}/", MANAGERS),
    ("/jurys/campagne/{campaign}/regle/", MANAGERS),
    ("/volet-automatise/campagne/{campaign}/", MANAGERS),
    ("/jurys/campagne/{campaign}/questions/", JURY),
    ("/jurys/campagne/{campaign}/questionnaire/", JURY),
    ("/jurys/{jury}/", JURY),
    ("/jurys/{jury}/harmonisation/", PRESIDING),
    ("/jurys/oral/{slot}/evaluer/", SITTING),
    ("/jurys/oral/{slot}/bordereau.pdf", JURY),
    ("/api/v1/juries/", ALL),
    ("/api/v1/juries/{jury}", JURY),
    ("/api/v1/juries/{jury}/harmonisation", PRESIDING),
    ("/api/v1/juries/orals/{slot}/score", SITTING),
    ("/api/v1/juries/orals/{slot}/decision", JURY),
    ("/api/v1/juries/campaigns/{campaign}/jurors", MANAGERS),
    ("/api/v1/juries/campaigns/{campaign}/rule", MANAGERS),
    ("/api/v1/testing/campaigns/{campaign}/automated-results", MANAGERS),
]
POSTS = [
    ("/jurys/campagne/{campaign}/composer/", MANAGERS),
    ("/jurys/campagne/{campaign}/remplacer/", MANAGERS),
    ("/jurys/campagne/{campaign}/deplacer/", MANAGERS),
    ("/jurys/{jury}/visio/", MANAGERS),
    ("/jurys/{jury}/reunion/", MANAGERS | PRESIDING),
    ("/jurys/oral/{slot}/evaluer/enregistrer/", SITTING),
    ("/jurys/oral/{slot}/valider/", PRESIDING),
    ("/jurys/oral/{slot}/nouvelle-deliberation/", PRESIDING),
    ("/jurys/campagne/{campaign}/vivier/", MANAGERS),
    ("/jurys/campagne/{campaign}/vivier/{juror}/", MANAGERS),
    ("/jurys/campagne/{campaign}/regle/", MANAGERS),
    ("/volet-automatise/campagne/{campaign}/", MANAGERS),
    ("/api/v1/testing/campaigns/{campaign}/automated-results/import", MANAGERS),
]


@pytest.mark.parametrize(("template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_get_matrix(world: World, template: str, allowed: set[str]) -> None:
    assert_get_matrix(world, ROLES, template, allowed)


@pytest.mark.parametrize(("template", "allowed"), POSTS, ids=[p[0] for p in POSTS])
def test_post_matrix(world: World, template: str, allowed: set[str]) -> None:
    for role in ROLES:
        response = client_for(world, role).post(template.format(**world.ids), {})
        if role == "anonymous":
            if template.startswith("/api/"):
                assert response.status_code == 401, role
            else:
                assert response.status_code == 302 and "/comptes/connexion/" in response["Location"], role
        elif role in allowed:
            assert response.status_code in (200, 302, 422), role  # done, or refused with a message
        else:
            assert response.status_code == 404, role


def test_api_scoring_harmonisation_and_decision(world: World) -> None:
    juror = client_for(world, "juror")
    slot = world.ids["slot"]
    payload = {"levels": dict.fromkeys(CRITERIA, "avance"), "comments": {"1": "API"}, "submit": True}
    response = juror.put(f"/api/v1/juries/orals/{slot}/score", payload, content_type="application/json")
    assert response.status_code == 200 and response.json()["submitted_at"] is not None
    again = juror.put(f"/api/v1/juries/orals/{slot}/score", payload, content_type="application/json")
    assert again.status_code == 409
    decision = juror.get(f"/api/v1/juries/orals/{slot}/decision").json()
    assert decision["final_level"] == "confirme" and decision["outcome"] == "certified"
    assert decision["evaluation"]["practice"]["level"] == "avance"
    figures = client_for(world, "president").get(f"/api/v1/juries/{world.ids['jury']}/harmonisation").json()
    assert figures["candidates"][0]["submitted"] == 1
    # Without a group president the juror with the president role presides; they have not
    # submitted: the others' values stay hidden.
    group = Jury.objects.get(pk=world.ids["jury"]).group
    jury_group_set_president(group=group, president=None, actor=world.users["organiser"])
    hidden = (
        client_for(world, "presiding_juror").get(f"/api/v1/juries/{world.ids['jury']}/harmonisation").json()
    )
    assert hidden["candidates"][0]["disagreements"] is None
    (jury,) = juror.get("/api/v1/juries/").json()
    assert len(jury["members"]) == 3 and jury["orals"][0]["slot"] == slot


def test_api_compose_returns_the_composition(world: World) -> None:
    response = client_for(world, "organiser").post(
        f"/api/v1/juries/campaigns/{world.ids['campaign']}/compose"
    )
    # Scoring has begun in this world: recomposition is refused with a French reason.
    assert response.status_code == 409 and "évaluation a commencé" in response.json()["detail"]
    assert (
        client_for(world, "juror")
        .post(f"/api/v1/juries/campaigns/{world.ids['campaign']}/compose")
        .status_code
        == 404
    )
