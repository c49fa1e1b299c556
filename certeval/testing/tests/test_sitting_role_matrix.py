"""Every page of a candidate's proctored test (``epreuve/``), for every role. « Rejoindre une épreuve »
is public; every other page works only for a browser that joined a sitting (its Django session holds
the sitting): anyone else — anonymous visitors, organisers, invigilators and administrators signed in
without a joined sitting — is sent back to ``/epreuve/`` with nothing changed. No URL names a sitting,
so a candidate only ever reaches their own: another candidate's tab token, question key or file is
refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from certeval.accounts.tests.matrix import fingerprint
from certeval.campaigns.tests.factories import UserFactory
from certeval.testing import console_services as console
from certeval.testing.models import ItemVersion, Question, Sitting
from certeval.testing.tests.sitting_factories import ProctoredSession, proctored_session

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "candidate", "other_candidate", "organiser", "invigilator", "administrator"]
JOINED = {"candidate", "other_candidate"}  # the candidate's test is in progress, the other one waits
BOTH = dict.fromkeys(JOINED, 302)


@dataclass
class Browser:
    client: Client
    tab: str = ""
    sitting: Sitting | None = None


def _joined(ps: ProctoredSession, index: int) -> Browser:
    client = Client()
    candidate = ps.enrolments[index].candidate
    response = client.post(
        "/epreuve/",
        {
            "access_code": ps.delivery.access_code,
            "name": candidate.birth_name,
            "birth_date": candidate.birth_date.strftime("%d/%m/%Y"),
        },
    )
    tab = parse_qs(urlparse(response["Location"]).query)["onglet"][0]
    return Browser(client, tab, Sitting.objects.get(session=ps.delivery, enrolment=ps.enrolments[index]))


@pytest.fixture
def world() -> tuple[ProctoredSession, dict[str, Browser]]:
    cache.clear()
    ps = proctored_session(2)
    mine, theirs = _joined(ps, 0), _joined(ps, 1)
    assert mine.sitting is not None
    who = ps.invigilator
    console.check_identity(delivery=ps.delivery, sitting_id=mine.sitting.pk, document="passport", who=who)
    console.authorise(delivery=ps.delivery, sitting_id=mine.sitting.pk, who=who)
    mine.client.post("/epreuve/passage/commencer/", {"tab": mine.tab})
    question = Question.objects.get(run__sitting=mine.sitting)
    ItemVersion.objects.filter(pk=question.item_version_id).update(
        image=default_storage.save(
            "items/images/schema.svg", ContentFile(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
        ),
        attachment=default_storage.save("items/files/notes.csv", ContentFile(b"a;b\n1;2\n")),
    )
    browsers = {"candidate": mine, "other_candidate": theirs, "anonymous": Browser(Client())}
    staff = {
        "organiser": ps.organiser,
        "invigilator": UserFactory(),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    for role, user in staff.items():
        client = Client()
        client.force_login(user)
        browsers[role] = Browser(client)
    return ps, browsers


# (path, status of each role that joined a sitting, query or form with ``{tab}`` for that role's own
# tab); roles without a sitting are sent to /epreuve/ (except on the public join page).
PAGES: list[tuple[str, dict[str, int], str]] = [
    ("/epreuve/", dict.fromkeys(ROLES, 200), ""),
    ("/epreuve/passage/", BOTH, ""),  # takes the tab, then the page with its token
    ("/epreuve/passage/", {"candidate": 200, "other_candidate": 200}, "onglet={tab}"),
    ("/epreuve/passage/accueil/", dict.fromkeys(JOINED, 200), ""),
    ("/epreuve/passage/etat/", BOTH, "etat=question&onglet={tab}"),  # without htmx: the page
    ("/epreuve/passage/autre-onglet/", dict.fromkeys(JOINED, 200), ""),
    ("/epreuve/passage/fin/", BOTH, ""),  # not ended: back to the test
    ("/epreuve/passage/signaler/", {"candidate": 200, "other_candidate": 302}, "onglet={tab}"),
    ("/epreuve/passage/messages/", BOTH, "n=0&onglet={tab}"),
    ("/epreuve/passage/terminer/", {"candidate": 200, "other_candidate": 302}, "onglet={tab}"),
    # The other candidate has no such question: their sitting has not started.
    ("/epreuve/passage/question/{position}/image/", {"candidate": 200, "other_candidate": 404}, ""),
    ("/epreuve/passage/question/{position}/fichier/", {"candidate": 200, "other_candidate": 404}, ""),
]
POSTS: list[tuple[str, dict[str, int], dict[str, str]]] = [
    ("/epreuve/", dict.fromkeys(ROLES, 200), {}),  # an empty form: its errors, no sitting
    ("/epreuve/quitter/", BOTH, {}),
    ("/epreuve/passage/accueil/", BOTH, {}),
    ("/epreuve/passage/commencer/", BOTH, {"tab": "{tab}"}),
    ("/epreuve/passage/reprendre/", BOTH, {}),
    # A stale key: the current question with the message; the waiting candidate goes to their page.
    ("/epreuve/passage/reponse/", {"candidate": 200, "other_candidate": 302}, {"tab": "{tab}", "key": "old"}),
    ("/epreuve/passage/pouls/", dict.fromkeys(JOINED, 200), {"tab": "{tab}"}),
    ("/epreuve/passage/page/", dict.fromkeys(JOINED, 204), {"tab": "{tab}", "left": "1"}),
    ("/epreuve/passage/signaler/", BOTH, {"tab": "{tab}"}),
    ("/epreuve/passage/messages/", BOTH, {"tab": "{tab}", "text": ""}),
    ("/epreuve/passage/terminer/", BOTH, {"tab": "{tab}"}),
]
GET_CASES = [(row, role) for row in PAGES for role in ROLES]
POST_CASES = [(row, role) for row in POSTS for role in ROLES]


def _check(browser: Browser, role: str, allowed: dict[str, int], send: Any) -> None:
    if role in allowed:
        response = send()
        assert response.status_code == allowed[role], (role, response.status_code, response.content[:300])
        return
    before = fingerprint()
    response = send()
    assert response.status_code == 302 and response["Location"] == "/epreuve/", (role, response.status_code)
    assert fingerprint() == before, role


@pytest.mark.parametrize(("row", "role"), GET_CASES, ids=[f"{r[0]}?{r[2]}-{role}" for r, role in GET_CASES])
def test_get_matrix(world: tuple[ProctoredSession, dict[str, Browser]], row: Any, role: str) -> None:
    path, allowed, query = row
    browser = world[1][role]
    url = path.format(position=1) + ("?" + query.format(tab=browser.tab) if query else "")
    _check(browser, role, allowed, lambda: browser.client.get(url))


@pytest.mark.parametrize(("row", "role"), POST_CASES, ids=[f"{r[0]}-{role}" for r, role in POST_CASES])
def test_post_matrix(world: tuple[ProctoredSession, dict[str, Browser]], row: Any, role: str) -> None:
    path, allowed, form = row
    browser = world[1][role]
    data = {name: value.format(tab=browser.tab) for name, value in form.items()}
    _check(browser, role, allowed, lambda: browser.client.post(path, data))


def test_another_candidates_tab_key_and_files_are_refused(
    world: tuple[ProctoredSession, dict[str, Browser]],
) -> None:
    _ps, browsers = world
    mine, theirs = browsers["candidate"], browsers["other_candidate"]
    assert mine.sitting is not None and theirs.sitting is not None
    question = Question.objects.get(run__sitting=mine.sitting)
    before = fingerprint()
    mine_before = Sitting.objects.values().get(pk=mine.sitting.pk)
    client = theirs.client
    # Their own browser acts on their own sitting only, whatever tab or key it sends.
    stolen = {"tab": mine.tab, "key": question.idempotency_key, "choice": "a"}
    assert (
        client.post("/epreuve/passage/reponse/", stolen)["Location"]
        == "/epreuve/passage/autre-onglet/?reponse=1"
    )
    assert client.post("/epreuve/passage/pouls/", {"tab": mine.tab}).status_code == 409
    assert client.post("/epreuve/passage/terminer/", {"tab": mine.tab}).status_code == 302
    assert client.post("/epreuve/passage/signaler/", {"tab": mine.tab}).status_code == 302
    assert client.post("/epreuve/passage/messages/", {"tab": mine.tab, "text": "Bonjour"}).status_code == 302
    assert client.get("/epreuve/passage/question/{position}/image/").status_code == 404
    question.refresh_from_db()
    assert question.answered_at is None
    assert Sitting.objects.values().get(pk=mine.sitting.pk) == mine_before
    assert fingerprint() == before
    # A session cookie that names no sitting any more is sent back to the join page.
    session = client.session
    session["sitting_id"] = 999999
    session.save()
    assert client.get("/epreuve/passage/")["Location"] == "/epreuve/"
