"""The INSPÉ initial training path through the web layer (seed 002): the organiser attaches a
teacher, the teacher evaluates one professional activity phase by phase, the decision is computed
by the same domain function as ``certeval evaluate`` and validated by the teacher."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certeval.campaigns.tests.factories import EnrolmentFactory, UserFactory
from certeval.frameworks.selectors import framework_of
from certeval.juries import selectors
from certeval.juries.models import Deliberation, Jury, OralSlot, TeacherAttachment
from certeval.juries.tests.factories import academy
from certeval.juries.tests.inspe_factories import InspeWorld, inspe_world
from certeval.testing.selectors import applicable_result
from certeval.testing.services import automated_result_record

pytestmark = pytest.mark.django_db

LEVELS = ["initie", "confirme", "avance", "expert"]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _criteria(world: InspeWorld) -> list[str]:
    _framework, rules = framework_of(world.campaign.framework_version)
    assert rules.dossier is not None
    return list(rules.dossier.criteria)


def _post_evaluation(
    world: InspeWorld, levels: dict[str, str], title: str = "Séance de géométrie avec tablettes"
) -> Any:
    data = {
        "activity_title": title,
        "activity_description": "CM1, 24 élèves, application de géométrie dynamique.",
    }
    data |= {f"level-{c}": v for c, v in levels.items()}
    data["comment-4"] = "Matériel préparé, régulation pertinente."
    return _client(world.teacher).post(f"/jurys/etudiant/{world.student.pk}/evaluation/", data)


def _cli(case: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "deliberation.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    out = StringIO()
    call_command("evaluate", "inspe-crcn-edu", str(path), stdout=out)
    return dict(json.loads(out.getvalue()))


def _same_as_command(world: InspeWorld, levels: dict[str, str], tmp_path: Path) -> Deliberation:
    response = _post_evaluation(world, levels)
    assert response.status_code == 302, response.content[:500]
    draft = OralSlot.objects.get(enrolment=world.student).deliberations.get(state="draft")
    result = applicable_result(world.student, include_expired=True)
    case = {
        "component": "deliberation",
        "on": timezone.localdate().isoformat(),
        "dossier": {c: (v if v in LEVELS else None) for c, v in levels.items()},
        "automated": None
        if result is None
        else {"level": result.level, "obtained_on": result.obtained_on.isoformat()},
    }
    cli = _cli(case, tmp_path)
    web = dict(draft.evaluation)
    assert (cli["outcome"], cli["level"], cli["reasons"]) == (
        web["final"]["outcome"],
        web["final"]["level"],
        web["final"]["reasons"],
    )
    assert {k: cli[k] for k in web} == web
    assert (draft.outcome, draft.final_level) == (cli["outcome"], cli["level"] or "")
    return draft


GRID = st.lists(st.sampled_from([*LEVELS, "non_observable"]), min_size=16, max_size=16)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(grid=GRID, automated=st.sampled_from(LEVELS), age_days=st.sampled_from([10, 400, 365 * 4]))
def test_teacher_evaluation_decides_as_the_command(
    grid: list[str], automated: str, age_days: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    world = _WORLD.get("world")
    if world is None:
        world = _WORLD["world"] = inspe_world()
    automated_result_record(
        enrolment=world.student,
        level=automated,
        obtained_on=timezone.localdate() - timedelta(days=age_days),
        actor=world.organiser,
    )
    _same_as_command(world, dict(zip(_criteria(world), grid, strict=True)), tmp_path_factory.mktemp("case"))


_WORLD: dict[str, InspeWorld] = {}


@pytest.fixture(autouse=True)
def _fresh_world() -> None:
    _WORLD.clear()


def test_from_attachment_to_validated_decision(tmp_path: Path) -> None:
    world = inspe_world()
    criteria = _criteria(world)
    # No automated result: not eligible, whatever the teachers' grid (seed 002: both evaluations).
    draft = _same_as_command(world, dict.fromkeys(criteria, "expert"), tmp_path)
    assert draft.outcome == "ineligible"
    automated_result_record(
        enrolment=world.student,
        level="avance",
        obtained_on=date.today() - timedelta(days=30),
        actor=world.organiser,
    )
    # All Expert but one criterion at Confirmé: below the Expert floor, the grid gives Avancé.
    levels = dict.fromkeys(criteria, "expert") | {criteria[0]: "confirme"}
    draft = _same_as_command(world, levels, tmp_path)
    assert (draft.outcome, draft.final_level) == ("certified", "avance")
    # The page shows seed 002's items and points, the mention and the computed decision.
    page = _client(world.teacher).get(f"/jurys/etudiant/{world.student.pk}/evaluation/").content.decode()
    assert "Enseigner, animer, éduquer" in page and "Prise en compte de mon public" in page
    assert "Réguler la mise en œuvre pour prendre en compte la réalité" in page
    assert "Mention 1 — une activité pédagogique" in page
    assert "Séance de géométrie avec tablettes" in page
    response = _client(world.teacher).post(f"/jurys/etudiant/{world.student.pk}/evaluation/valider/")
    assert response.status_code == 302
    decided = OralSlot.objects.get(enrolment=world.student).deliberations.get()
    assert decided.state == "validated" and decided.validated_by == world.teacher
    assert (decided.outcome, decided.final_level) == ("certified", "avance")
    # Frozen: a new save is refused with a French message, nothing changes.
    response = _post_evaluation(world, dict.fromkeys(criteria, "initie"))
    assert response.status_code == 200 and "L&#x27;évaluation est validée" in response.content.decode()
    assert Deliberation.objects.get(pk=decided.pk).final_level == "avance"
    # The students' list shows the decision.
    mine = _client(world.teacher).get("/jurys/mes-etudiants/").content.decode()
    assert "Validée : Certifié" in mine


def test_bad_input_is_refused_in_french_and_keeps_the_typing() -> None:
    world = inspe_world()
    criteria = _criteria(world)
    response = _post_evaluation(world, dict.fromkeys(criteria, "expert") | {criteria[1]: "niveau-inconnu"})
    assert response.status_code == 200 and "Niveau inconnu." in response.content.decode()
    response = _post_evaluation(world, dict.fromkeys(criteria, "avance"), title="  ")
    body = response.content.decode()
    assert response.status_code == 200 and "Ce champ est obligatoire" in body
    assert 'value="avance" checked' in body or "checked" in body
    assert not Deliberation.objects.exists()
    # Validating before any evaluation: a message, no decision.
    response = _client(world.teacher).post(
        f"/jurys/etudiant/{world.student.pk}/evaluation/valider/", follow=True
    )
    assert "Enregistrez d&#x27;abord l&#x27;évaluation." in response.content.decode()
    assert not Deliberation.objects.exists()


def test_attachment_rules() -> None:
    world = inspe_world(attach=False)
    organiser = _client(world.organiser)
    url = f"/jurys/campagne/{world.campaign.pk}/enseignants/"
    response = organiser.post(url, {"enrolment": world.student.pk, "teacher": world.teacher.pk})
    assert response.status_code == 302
    assert TeacherAttachment.objects.filter(enrolment=world.student, teacher=world.teacher).exists()
    slot = OralSlot.objects.get(enrolment=world.student)
    assert slot.jury.kind == Jury.Kind.TEACHERS and slot.jury.number == 0
    # A second teacher shares the same evaluation.
    organiser.post(url, {"enrolment": world.student.pk, "teacher": world.other_teacher.pk})
    assert OralSlot.objects.filter(enrolment=world.student).count() == 1
    # The same teacher twice: a French message.
    response = organiser.post(url, {"enrolment": world.student.pk, "teacher": world.teacher.pk})
    assert "déjà rattaché" in response.content.decode()
    # Continuing training is not offered (a jury); someone outside the organisation is not a choice.
    stranger = UserFactory()
    response = organiser.post(url, {"enrolment": world.continuing.pk, "teacher": stranger.pk})
    assert response.status_code == 200 and TeacherAttachment.objects.count() == 2
    # The composition leaves the teachers' students and their jury alone.
    assert world.student not in selectors.candidates_to_compose(world.campaign)
    # An initial-training student not yet attached is not composed either; continuing training is.
    EnrolmentFactory(
        campaign=world.campaign, academy=academy("amiens"), training="initiale", mention=2, submitted=True
    )
    assert set(selectors.candidates_to_compose(world.campaign)) == {world.continuing}
    assert all(j.kind == Jury.Kind.COMPOSED for j in selectors.juries_of(world.campaign))


def test_a_teacher_of_another_student_sees_nothing() -> None:
    world = inspe_world()
    other = EnrolmentFactory(
        campaign=world.campaign, academy=academy("amiens"), training="initiale", mention=3
    )
    client = _client(world.other_teacher)
    assert client.get(f"/jurys/etudiant/{world.student.pk}/evaluation/").status_code == 404
    assert client.get(f"/jurys/etudiant/{other.pk}/evaluation/").status_code == 404


def test_a_teacher_withdrawn_from_the_organisation_loses_their_students() -> None:
    from certeval.campaigns.models import OrganisationMember
    from certeval.campaigns.organisation_services import organisation_member_remove

    world = inspe_world()
    url = f"/jurys/etudiant/{world.student.pk}/evaluation/"
    assert _client(world.teacher).get(url).status_code == 200
    assert world.student.reviewers.filter(user=world.teacher).exists()
    organisation_member_remove(
        actor=world.organiser, member=OrganisationMember.objects.get(user=world.teacher)
    )
    assert _client(world.teacher).get(url).status_code == 404
    # The dossier's reading went with the role.
    assert not world.student.reviewers.filter(user=world.teacher).exists()
