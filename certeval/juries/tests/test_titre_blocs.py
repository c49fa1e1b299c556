"""The title by blocs over two sessions (seed 003), through the web layer: blocs 1–3 validated in
a first campaign, blocs 4–6 and the final interview (scored on its five points) in a second; the
decision is certeval evaluate's on the same inputs, the record lasts, the certificates issue from
it (including the blocs of the first session) and the oral lasts the enrolled blocs' épreuves."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certeval.campaigns.models import Enrolment, HeldBloc
from certeval.campaigns.titre_selectors import titre_plan
from certeval.frameworks.selectors import framework_of
from certeval.juries import selectors
from certeval.juries.services.composition import oral_minutes
from certeval.juries.services.deliberation import deliberation_save, deliberation_validate
from certeval.juries.services.scoring import grid_score_save, grid_score_submit
from certeval.juries.tests.factories import JuryCampaign, jury_campaign
from certeval.results.award_services import awards_issue_for_enrolments
from certeval.results.models import Award

pytestmark = pytest.mark.django_db

FRAMEWORK = "titre-responsable-formation"
POINTS = ["EF.1", "EF.2", "EF.3", "EF.4", "EF.5"]


def _two_sessions() -> tuple[JuryCampaign, JuryCampaign, Enrolment, Enrolment]:
    first = jury_campaign(candidates=1, framework=FRAMEWORK)
    second = jury_campaign(candidates=1, framework=FRAMEWORK)
    one = first.enrolments[0]
    two = second.enrolments[0]
    # The same person enrolled in both sessions.
    Enrolment.objects.filter(pk=two.pk).update(candidate=one.candidate, blocs=["4", "5", "6"])
    Enrolment.objects.filter(pk=one.pk).update(blocs=["1", "2", "3"])
    one.refresh_from_db()
    two.refresh_from_db()
    return first, second, one, two


def _first_session(first: JuryCampaign, day: str) -> None:
    deliberation_save(
        slot=first.slot(),
        actor=first.president,
        consensus={},
        item_comments={},
        oral_levels={},
        oral_comments={},
        verdicts={"blocks": {b: {"validated": True, "on": day} for b in "123"}},
    )
    deliberation_validate(slot=first.slot(), actor=first.president)


def _cli(case: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "deliberation.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    out = StringIO()
    call_command("evaluate", FRAMEWORK, str(path), stdout=out)
    return dict(json.loads(out.getvalue()))


def test_title_over_two_sessions_matches_certeval_evaluate(client: Client, tmp_path: Path) -> None:
    first, second, one, two = _two_sessions()
    today = timezone.localdate()
    day1 = (today - timedelta(days=200)).isoformat()
    day2 = (today - timedelta(days=5)).isoformat()
    _first_session(first, day1)
    held = HeldBloc.objects.filter(candidate=one.candidate).order_by("bloc")
    assert [(h.bloc, h.validated_on.isoformat(), h.campaign_id) for h in held] == [
        (b, day1, first.campaign.pk) for b in "123"
    ]
    assert first.slot().deliberations.get().outcome == "not_certified"

    # Second session, through the president's page: blocs 4–6 and the five points of the interview.
    slot = second.slot()
    client.force_login(second.president)
    page = client.get(reverse("juries:harmonise", args=[slot.pk])).content.decode()
    assert "Blocs déjà détenus" in page and "grille des cinq points" in page
    assert "décrit correctement le métier et ses différentes activités" in page
    data = {f"verdict-{b}": "validated" for b in "456"} | {f"verdicton-{b}": day2 for b in "456"}
    data |= {f"level-{p}": "acquis" for p in POINTS}
    html = client.post(reverse("juries:harmonise", args=[slot.pk]), data, follow=True).content.decode()
    assert "titre attribué" in html
    draft = slot.deliberations.get()
    assert draft.outcome == "certified"

    case = {
        "component": "deliberation",
        "on": today.isoformat(),
        "verdicts": {
            "blocks": {b: {"validated": True, "on": day1 if b in "123" else day2} for b in "123456"},
            "final_interview_points": dict.fromkeys(POINTS, True),
        },
    }
    cli = _cli(case, tmp_path)
    assert (cli["outcome"], cli["reasons"]) == (
        draft.evaluation["final"]["outcome"],
        draft.evaluation["final"]["reasons"],
    )
    assert {k: cli[k] for k in draft.evaluation} == draft.evaluation

    # One point not verified: the interview is not passed, in the web app as in the command.
    data["level-EF.3"] = "non-acquis"
    client.post(reverse("juries:harmonise", args=[slot.pk]), data)
    draft.refresh_from_db()
    case["verdicts"]["final_interview_points"]["EF.3"] = False  # type: ignore[index]
    cli = _cli(case, tmp_path)
    assert draft.outcome == cli["outcome"] == "not_certified"
    assert cli["reasons"] == draft.evaluation["final"]["reasons"]
    assert any("Points non vérifiés : EF.3" in r for r in cli["reasons"])

    data["level-EF.3"] = "acquis"
    client.post(reverse("juries:harmonise", args=[slot.pk]), data)
    client.post(reverse("juries:validate", args=[slot.pk]))
    assert slot.deliberations.get().state == "validated"
    assert HeldBloc.objects.filter(candidate=one.candidate).count() == 6

    # Certificates from the record: the second session issues blocs 1–6 and the title; the first,
    # published later, issues nothing twice.
    awards = awards_issue_for_enrolments([two], by=None)
    assert sorted(a.bloc_code for a in awards if a.kind == "bloc") == list("123456")
    assert sum(1 for a in awards if a.kind == "certification") == 1
    first_bloc = next(a for a in awards if a.bloc_code == "1")
    assert first_bloc.valid_from.isoformat() == day1
    assert first.campaign.title in " ".join(first_bloc.snapshot["reasons"])
    awards_issue_for_enrolments([one], by=None)
    assert Award.objects.filter(candidate=one.candidate, kind="bloc").count() == 6


def test_record_is_shown_to_the_candidate_and_the_organiser(client: Client) -> None:
    first, second, one, two = _two_sessions()
    _first_session(first, (timezone.localdate() - timedelta(days=90)).isoformat())
    client.force_login(one.candidate.user)
    page = client.get(reverse("campaigns:my_blocs")).content.decode()
    assert "Mes blocs de compétences" in page
    assert "Bloc 1 — Montage et suivi" in page and first.campaign.title in page
    client.force_login(second.organiser)
    page = client.get(reverse("campaigns:enrolment", args=[two.pk])).content.decode()
    assert "Blocs validés (parcours du candidat" in page
    assert "Écrit professionnel" in page and "140" in page
    # The jurors read the épreuves of the blocs presented beside the grid, the interview's included.
    slot = second.slot()
    member = slot.jury.members.select_related("juror__user").first()
    assert member is not None
    client.force_login(member.juror.user)
    page = client.get(reverse("juries:score", args=[slot.pk])).content.decode()
    assert "Épreuves des blocs présentés par le candidat" in page
    assert "Exposé oral devant le jury suivi d&#x27;un questionnaire" in page
    assert "analyse ses pratiques professionnelles et en tire des enseignements utiles." in page


def test_oral_length_follows_the_enrolled_blocs() -> None:
    first, second, one, two = _two_sessions()
    plan = titre_plan(one)
    assert plan is not None and plan.blocs == ("1", "2", "3")
    # Bloc 3: presentation (20) + interview with two members (20); blocs 1 and 2 are written.
    assert plan.oral_minutes == 40 and not plan.with_final_interview
    assert [e.jury_size for e in plan.epreuves if e.component.id == "bloc-3-entretien"] == [2]
    _first_session(first, (timezone.localdate() - timedelta(days=90)).isoformat())
    plan = titre_plan(two)
    assert plan is not None and plan.with_final_interview
    assert plan.oral_minutes == 20 + 30  # bloc 4's oral and the 30-minute final interview
    assert oral_minutes(two, second.campaign) == 50


def test_jurors_score_the_grids_of_the_blocs_presented() -> None:
    first, second, _one, _two = _two_sessions()
    framework, rules = framework_of(first.campaign.framework_version)
    grid = selectors.slot_grid(first.slot(), framework, rules)
    assert [p.id for p in grid.phases] == ["bloc-1", "bloc-2", "bloc-3"]
    slot = first.slot()
    member = slot.jury.members.select_related("juror").first()
    assert member is not None
    grid_score_save(
        slot=slot, juror=member.juror, levels=dict.fromkeys((c.id for c in grid.criteria), "acquis")
    )
    assert grid_score_submit(slot=slot, juror=member.juror, actor=member.juror.user).submitted_at
    _first_session(first, (timezone.localdate() - timedelta(days=90)).isoformat())
    grid = selectors.slot_grid(second.slot(), framework, rules)
    assert [p.id for p in grid.phases] == ["bloc-4", "bloc-5", "bloc-6", "entretien-final"]
