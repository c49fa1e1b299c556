"""The web app and ``certeval evaluate`` decide the same way, for every framework shipped in
certeval/data/frameworks: each case goes through the jury's deliberation service (as the
harmonisation page does) and through the command's ``deliberation`` component, and both give
the same levels, decision and reasons (issue 9, defect 1)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from certeval.domain.rules import RuleSet
from certeval.domain.rules.final import BlockRule, CompetenceRule, JointRule
from certeval.frameworks.selectors import framework_of
from certeval.frameworks.services import DATA_DIR
from certeval.juries.models import JurySettings
from certeval.juries.services.deliberation import deliberation_save, deliberation_validate
from certeval.juries.tests.factories import JuryCampaign, jury_campaign
from certeval.testing.services import automated_result_record

pytestmark = pytest.mark.django_db

FRAMEWORKS = sorted(path.stem for path in DATA_DIR.glob("*.yaml"))
VALID, EXPIRED, NONE = 0, 1, 2  # the enrolment of each automated situation


def test_the_six_frameworks_are_covered() -> None:
    assert len(FRAMEWORKS) == 6


def _campaign(framework: str) -> tuple[JuryCampaign, RuleSet, dict[int, dict[str, str] | None]]:
    """A campaign of ``framework`` with three candidates: a valid automated result (changed per
    case), an expired one (obtained four years ago) and none."""
    jc = jury_campaign(candidates=3, framework=framework, automated=False)
    _framework, rules = framework_of(jc.campaign.framework_version)
    today = timezone.localdate()
    expired = today.replace(year=today.year - 4)
    if rules.automated is None:  # no automated part: no result can be recorded
        return jc, rules, {EXPIRED: None, NONE: None}
    automated_result_record(
        enrolment=jc.enrolments[EXPIRED], level=rules.ladder.ids[-1], obtained_on=expired, actor=jc.organiser
    )
    stored = {EXPIRED: {"level": rules.ladder.ids[-1], "obtained_on": expired.isoformat()}, NONE: None}
    return jc, rules, stored


def _joint_cases(rules: RuleSet) -> Iterator[tuple[str, int, str | None, dict[str, Any]]]:
    """``(name, enrolment, automated level of the valid result, case)`` of a joint-level framework."""
    ladder = rules.ladder.ids
    top, bottom = ladder[-1], ladder[0]
    criteria = rules.dossier.criteria if rules.dossier is not None else ()
    domains = rules.oral.domains if rules.oral is not None else ()

    def parts(grid: dict[str, str | None], oral: dict[str, str | None]) -> dict[str, Any]:
        return ({"dossier": grid} if rules.dossier else {}) | ({"oral": oral} if rules.oral else {})

    all_top = parts(dict.fromkeys(criteria, top), dict.fromkeys(domains, top))
    all_bottom = parts(dict.fromkeys(criteria, bottom), dict.fromkeys(domains, bottom))
    mixed_grid: dict[str, str | None] = {
        c: (ladder[2] if i < 9 else ladder[1]) for i, c in enumerate(criteria)
    }
    if criteria:
        mixed_grid[criteria[-1]] = None
    mixed_oral: dict[str, str | None] = {d: ladder[[3, 3, 2, 2, 1][i % 5]] for i, d in enumerate(domains)}
    mixed = parts(mixed_grid, mixed_oral)
    for policy in ("joint", "adjourn"):
        for source in ("sheet", "lower"):
            settings = {"policy": policy, "practice_source": source}
            yield "all top", VALID, ladder[1], all_top | settings
            yield "all bottom", VALID, ladder[1], all_bottom | settings
            yield "mixed", VALID, ladder[2], mixed | settings
            yield "mixed, automated above practice", VALID, top, mixed | settings
            yield "missing automated result", NONE, None, all_top | settings
            yield "expired automated result", EXPIRED, None, all_top | settings


def _verdict_cases(rules: RuleSet) -> Iterator[tuple[str, int, str | None, dict[str, Any]]]:
    final = rules.final
    if isinstance(final, CompetenceRule):
        ids = final.competences
        yield "all validated", VALID, None, {"verdicts": {"competences": dict.fromkeys(ids, True)}}
        yield "none validated", VALID, None, {"verdicts": {"competences": dict.fromkeys(ids, False)}}
        mixed = {ids[0]: True, ids[1]: False}
        yield "mixed, one not evaluated", VALID, None, {"verdicts": {"competences": mixed}}
        yield "nothing recorded", VALID, None, {}
        return
    assert isinstance(final, BlockRule)
    on = (timezone.localdate() - timedelta(days=30)).isoformat()
    held = {b: {"validated": True, "on": on} for b in final.blocks}
    yield "all blocs, interview passed", VALID, None, {"verdicts": {"blocks": held, "final_interview": True}}
    yield (
        "all blocs, interview not taken",
        VALID,
        None,
        {"verdicts": {"blocks": held, "final_interview": None}},
    )
    none = {b: {"validated": False, "on": None} for b in final.blocks}
    yield "no bloc", VALID, None, {"verdicts": {"blocks": none, "final_interview": False}}
    mixed = {b: {"validated": i < 3, "on": on if i < 3 else None} for i, b in enumerate(final.blocks[:4])}
    yield "mixed", VALID, None, {"verdicts": {"blocks": mixed, "final_interview": False}}


def _cases(rules: RuleSet) -> Iterator[tuple[str, int, str | None, dict[str, Any]]]:
    if isinstance(rules.final, CompetenceRule | BlockRule):
        yield from _verdict_cases(rules)
    else:  # joint level, or no final rule (crcn)
        yield from _joint_cases(rules)


def _web(jc: JuryCampaign, enrolment: int, case: dict[str, Any]) -> dict[str, Any]:
    """The deliberation service on the case, with the campaign's policy and practice setting."""
    jc.campaign.final_policy = case.get("policy", "adjourn")
    jc.campaign.save(update_fields=["final_policy"])
    JurySettings.objects.update_or_create(
        campaign=jc.campaign, defaults={"practice_source": case.get("practice_source", "sheet")}
    )
    draft = deliberation_save(
        slot=jc.slot(enrolment),
        actor=jc.president,
        consensus=case.get("dossier", {}),
        item_comments={},
        oral_levels=case.get("oral", {}),
        oral_comments={},
        verdicts=case.get("verdicts"),
    )
    return dict(draft.evaluation)


def _cli(framework: str, case: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "deliberation.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    out = StringIO()
    call_command("evaluate", framework, str(path), stdout=out)
    return dict(json.loads(out.getvalue()))


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_web_app_and_command_give_the_same_decision(framework: str, tmp_path: Path) -> None:
    jc, rules, stored = _campaign(framework)
    today = timezone.localdate()
    last: dict[int, dict[str, Any]] = {}
    for name, enrolment, valid_level, case in _cases(rules):
        automated = stored.get(enrolment)
        if enrolment == VALID and valid_level is not None and rules.automated is not None:
            obtained = date(today.year, 1, 2) if today > date(today.year, 1, 2) else today
            automated_result_record(
                enrolment=jc.enrolments[VALID], level=valid_level, obtained_on=obtained, actor=jc.organiser
            )
            automated = {"level": valid_level, "obtained_on": obtained.isoformat()}
        web = _web(jc, enrolment, case)
        cli_case = {"component": "deliberation", "on": today.isoformat(), **case}
        if isinstance(rules.final, JointRule) or rules.final is None:
            cli_case["automated"] = automated
        cli = _cli(framework, cli_case, tmp_path)
        where = f"{framework}, {name}, {case.get('policy')}, {case.get('practice_source')}"
        assert (cli["outcome"], cli["level"], cli["reasons"]) == (
            web["final"]["outcome"],
            web["final"]["level"],
            web["final"]["reasons"],
        ), where
        assert {k: cli[k] for k in web} == web, where
        last[enrolment] = web
    # The validated decision is the draft's.
    decided = deliberation_validate(slot=jc.slot(VALID), actor=jc.president)
    assert decided.evaluation == last[VALID]


def test_inspe_all_expert_grid_with_a_confirme_automated_result_is_certified_confirme() -> None:
    """INSPÉ has no oral score sheet: the practice level is the dossier grid's (seed 002, the
    teachers' or the jury's evaluation), under both campaign policies and both settings."""
    jc = jury_campaign(candidates=1, framework="inspe-crcn-edu")
    _framework, rules = framework_of(jc.campaign.framework_version)
    assert rules.dossier is not None
    automated_result_record(
        enrolment=jc.enrolments[0], level="confirme", obtained_on=date(2026, 3, 1), actor=jc.organiser
    )
    for policy in ("joint", "adjourn"):
        for source in ("sheet", "lower"):
            evaluation = _web(
                jc,
                0,
                {"dossier": dict.fromkeys(rules.dossier.criteria, "expert"), "policy": policy}
                | {"practice_source": source},
            )
            assert evaluation["practice"]["level"] == "expert"
            assert "grille du dossier" in evaluation["practice"]["reasons"][0]
            assert (evaluation["final"]["outcome"], evaluation["final"]["level"]) == ("certified", "confirme")
    decided = deliberation_validate(slot=jc.slot(), actor=jc.president)
    assert (decided.outcome, decided.final_level) == ("certified", "confirme")
