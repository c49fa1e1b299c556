"""Every jury page and API endpoint, for every role: allowed, or 404 — the same answer as for an
absent object; anonymous visitors are sent to sign in (pages) or get 401 (API). A refused write
changes nothing; an allowed one gets the answer its row states. Juries are run campaign-wide: an
organiser limited to one academy has no access to them."""

from __future__ import annotations

import pytest

from certeval.accounts.tests.matrix import (
    World,
    assert_api_write,
    assert_get_matrix,
    assert_post_matrix,
    client_for,
)
from certeval.campaigns.models import CampaignRole
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
    "academy_organiser",
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
        "academy_organiser": UserFactory(),
        "stranger": UserFactory(),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    CampaignRole.objects.create(
        campaign=jc.campaign,
        user=users["academy_organiser"],
        role="organiser",
        academy=slot.enrolment.academy,
    )
    return World(
        users,
        {
            "campaign": jc.campaign.pk,
            "jury": slot.jury_id,
            "slot": slot.pk,
            "juror": jc.jurors[0].pk,
            "group": slot.jury.group_id,
            "enrolment": slot.enrolment_id,
        },
    )


ALL = set(ROLES) - {"anonymous"}
MANAGERS = {"organiser", "administrator"}
SITTING = {"juror", "presiding_juror"}
# The jury's group has a president: they preside (certeval.juries.presidency); the juror with the
# president role ("presiding_juror") sits on the jury but does not preside it.
PRESIDING = {"president"}
JURY = SITTING | {"president"} | MANAGERS
# Automated results are read and recorded within the organiser's academy (this world's candidate is
# in the academy of the scoped organiser).
IN_SCOPE = MANAGERS | {"academy_organiser"}

PAGES = [
    ("/jurys/", ALL),
    ("/jurys/campagne/{campaign}/", MANAGERS),
    ("/jurys/campagne/{campaign}/vivier/", MANAGERS),
    ("/jurys/campagne/{campaign}/vivier/{juror}/", MANAGERS),
    ("/jurys/campagne/{campaign}/regle/", MANAGERS),
    ("/volet-automatise/campagne/{campaign}/", IN_SCOPE),
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
    ("/api/v1/testing/campaigns/{campaign}/automated-results", IN_SCOPE),
]
# (url template, the answer of each allowed role to an empty form: done, or refused with a message —
# never 404). Each role acts on a world of its own; every other role is refused and nothing changes.
POSTS = [
    ("/jurys/campagne/{campaign}/composer/", dict.fromkeys(MANAGERS, 302)),
    ("/jurys/campagne/{campaign}/remplacer/", dict.fromkeys(MANAGERS, 302)),
    ("/jurys/campagne/{campaign}/deplacer/", dict.fromkeys(MANAGERS, 302)),
    ("/jurys/groupe/{group}/president/", dict.fromkeys(MANAGERS, 302)),
    ("/jurys/{jury}/visio/", dict.fromkeys(MANAGERS, 302)),
    ("/jurys/{jury}/reunion/", dict.fromkeys(MANAGERS | PRESIDING, 302)),
    ("/jurys/oral/{slot}/evaluer/enregistrer/", dict.fromkeys(SITTING, 200)),
    # The decision is validated in this world: the harmonisation form sends back to the jury.
    ("/jurys/oral/{slot}/harmoniser/", dict.fromkeys(PRESIDING, 302)),
    ("/jurys/oral/{slot}/valider/", dict.fromkeys(PRESIDING, 302)),
    ("/jurys/oral/{slot}/nouvelle-deliberation/", dict.fromkeys(PRESIDING, 302)),
    ("/volet-automatise/campagne/{campaign}/", dict.fromkeys(IN_SCOPE, 200)),
    ("/api/v1/testing/campaigns/{campaign}/automated-results/import", dict.fromkeys(IN_SCOPE, 422)),
    ("/jurys/campagne/{campaign}/vivier/", dict.fromkeys(MANAGERS, 200)),
    ("/jurys/campagne/{campaign}/vivier/{juror}/", dict.fromkeys(MANAGERS, 200)),
    ("/jurys/campagne/{campaign}/regle/", dict.fromkeys(MANAGERS, 200)),
    ("/jurys/campagne/{campaign}/questions/", dict.fromkeys(JURY, 200)),
    ("/jurys/campagne/{campaign}/questionnaire/", dict.fromkeys(JURY, 200)),
    ("/api/v1/juries/campaigns/{campaign}/compose", dict.fromkeys(MANAGERS, 409)),
]
# API writes with a JSON body: (method, url template, body, the answer of each allowed role).
RULE = {
    "size": 3,
    "groups": [{"roles": ["inspecteur", "drane"], "min": 1}],
    "same_academy": False,
    "halfday_slots": 6,
    "buffer_minutes": 0,
}
# ``halfdays`` is filled with the half-days of the world's juror.
JUROR = {"role": "inspecteur", "academy": "versailles", "halfdays": "{halfdays}", "max_load": 4}
API_WRITES = [
    (
        "put",
        "/api/v1/juries/orals/{slot}/score",
        {"levels": {}, "submit": False},
        dict.fromkeys(SITTING, 200),
    ),
    ("put", "/api/v1/juries/campaigns/{campaign}/rule", RULE, dict.fromkeys(MANAGERS, 200)),
    (
        "post",
        "/api/v1/juries/campaigns/{campaign}/jurors",
        {**JUROR, "email": "nouveau-jure@example.fr"},
        dict.fromkeys(MANAGERS, 201),
    ),
    ("put", "/api/v1/juries/campaigns/{campaign}/jurors/{juror}", JUROR, dict.fromkeys(MANAGERS, 200)),
    (
        "post",
        "/api/v1/testing/campaigns/{campaign}/automated-results",
        {"enrolment": "{enrolment}", "level": "confirme", "obtained_on": "2026-01-15"},
        dict.fromkeys(IN_SCOPE, 200),
    ),
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
    method, template, raw, answers = row
    from certeval.juries.models import Juror

    filled = {
        "{enrolment}": world.ids["enrolment"],
        "{halfdays}": Juror.objects.get(pk=world.ids["juror"]).halfdays,
    }
    body = {k: filled.get(v, v) if isinstance(v, str) else v for k, v in raw.items()}
    assert_api_write(world, role, method, template, body, answers, unknown_ids=True)


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
