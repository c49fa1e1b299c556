"""A whole deliberation in the domain: practice level per framework shape, the jury's validations,
the stored JSON and the ``deliberation`` case of ``certeval evaluate``."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from certeval.domain.rules import CaseError
from certeval.domain.rules.deliberation import (
    AutomatedLevel,
    DeliberationInput,
    DeliberationOutcome,
    Verdicts,
    VerdictsError,
    evaluate_deliberation,
    parse_verdicts,
)
from certeval.domain.rules.final import BlockStatus
from certeval.domain.rules.tests.support import grid_criteria, rules

ON = date(2026, 6, 1)
CONFIRME = AutomatedLevel("confirme", date(2026, 3, 1))


def _input(**given: Any) -> DeliberationInput:
    return DeliberationInput(on=ON, **given)


def test_inspe_practice_level_is_the_dossier_grid() -> None:
    """INSPÉ has no oral score sheet: the grid gives the practice level, whatever the setting."""
    grid = dict.fromkeys(grid_criteria(), "expert")
    for source in ("sheet", "lower"):
        for policy in ("joint", "adjourn", None):
            outcome = evaluate_deliberation(
                rules("inspe-crcn-edu"),
                _input(consensus=grid, automated=CONFIRME, practice_source=source, policy=policy),
            )
            assert outcome.practice is not None and outcome.practice.level == "expert"
            assert outcome.practice.reasons == (
                "Niveau de pratique professionnelle (niveau de la grille du dossier, le référentiel "
                "n'ayant pas de bordereau d'entretien) : Expert",
            )
            assert (outcome.final.outcome, outcome.final.level) == ("certified", "confirme")
            assert "politique joint" in outcome.final.reasons[0]  # INSPÉ offers the joint policy only


def test_pix_practice_level_follows_the_campaign_setting() -> None:
    grid = dict.fromkeys(grid_criteria(), "avance")
    oral = dict.fromkeys(["1", "2", "3", "4", "5"], "expert")
    pix = rules("pix-plus-edu")
    sheet = evaluate_deliberation(pix, _input(consensus=grid, oral_levels=oral, automated=CONFIRME))
    assert sheet.practice is not None and sheet.practice.level == "expert"
    assert "réglage de la campagne : le niveau du bordereau d'entretien" in sheet.practice.reasons[0]
    lower = evaluate_deliberation(
        pix, _input(consensus=grid, oral_levels=oral, automated=CONFIRME, practice_source="lower")
    )
    assert lower.practice is not None and lower.practice.level == "avance"
    only_sheet = evaluate_deliberation(
        pix, _input(oral_levels=oral, automated=CONFIRME, practice_source="lower")
    )
    assert only_sheet.practice is not None and only_sheet.practice.level is None
    assert (only_sheet.final.outcome, only_sheet.final.level) == ("not_certified", None)


def test_adjourn_policy_and_missing_automated_result() -> None:
    pix = rules("pix-plus-edu")
    oral = dict.fromkeys(["1", "2", "3", "4", "5"], "initie")
    adjourned = evaluate_deliberation(pix, _input(oral_levels=oral, automated=CONFIRME))
    assert (adjourned.final.outcome, adjourned.final.level) == ("adjourned", None)
    joint = evaluate_deliberation(pix, _input(oral_levels=oral, automated=CONFIRME, policy="joint"))
    assert (joint.final.outcome, joint.final.level) == ("certified", "initie")
    missing = evaluate_deliberation(pix, _input(oral_levels=oral))
    assert missing.final.outcome == "ineligible" and missing.automated is None


def test_verdicts_are_checked_and_typed() -> None:
    titre = rules("titre-responsable-formation").final
    facilitateur = rules("facilitateur-apprentissage").final
    checked = parse_verdicts(
        titre, {"blocks": {"1": {"validated": True, "on": "2026-05-02"}}, "final_interview": True}, ON
    )
    assert checked == Verdicts(blocks={"1": BlockStatus(True, date(2026, 5, 2))}, final_interview=True)
    assert Verdicts.from_json(checked.to_json("blocks")) == checked
    for data, code in [
        ({"blocks": {"9": {"validated": True, "on": "2026-05-02"}}}, "unknown_block"),
        ({"blocks": {"1": {"validated": True, "on": None}}}, "block_date"),
        ({"blocks": {"1": {"validated": True, "on": "2026-07-01"}}}, "block_future"),
        ({"blocks": {"1": "oui"}}, "malformed"),
        ({"final_interview": "oui"}, "interview_value"),
    ]:
        with pytest.raises(VerdictsError) as error:
            parse_verdicts(titre, data, ON)
        assert error.value.code == code
    with pytest.raises(VerdictsError) as error:
        parse_verdicts(facilitateur, {"competences": {"C9": True}}, ON)
    assert (error.value.code, error.value.subject) == ("unknown_competence", "C9")
    with pytest.raises(VerdictsError) as error:
        parse_verdicts(rules("pix-plus-edu").final, {"competences": {}}, ON)
    assert error.value.code == "no_verdicts"


def test_stored_json_round_trip_and_lenient_reading() -> None:
    outcome = evaluate_deliberation(
        rules("pix-plus-edu"),
        _input(consensus=dict.fromkeys(grid_criteria(), "expert"), automated=CONFIRME),
    )
    data = outcome.to_json()
    assert set(data) == {"kind", "dossier", "oral", "practice", "automated", "final"}
    assert data["automated"] == {"level": "confirme", "obtained_on": "2026-03-01"}
    assert DeliberationOutcome.from_json(data) == outcome
    empty = DeliberationOutcome.from_json({})
    assert (empty.kind, empty.final.reasons, empty.practice) == ("joint_level", (), None)
    verdicts = evaluate_deliberation(
        rules("facilitateur-apprentissage"), _input(verdicts=Verdicts(competences={"C1": True}))
    )
    assert "practice" not in verdicts.to_json() and verdicts.final.outcome == "not_certified"


def test_deliberation_case_of_the_command() -> None:
    inspe = rules("inspe-crcn-edu")
    case: dict[str, Any] = {
        "component": "deliberation",
        "on": "2026-06-01",
        "dossier": dict.fromkeys(grid_criteria(), "expert"),
        "automated": {"level": "confirme", "obtained_on": "2026-03-01"},
    }
    result = inspe.evaluate(case)
    assert (result.component, result.outcome, result.level) == ("deliberation", "certified", "confirme")
    assert result.to_json()["practice"]["level"] == "expert"
    wrongs: list[tuple[dict[str, Any], str]] = [
        ({"oral": {"1": "expert"}}, "oral"),
        ({"dossier": {"9.9": "expert"}}, 'dossier["9.9"]'),
        ({"automated": {"level": "confirme", "obtained_on": "2026-07-01"}}, "automated.obtained_on"),
        ({"practice_source": "higher"}, "practice_source"),
        ({"verdicts": {"competences": {}}}, "verdicts"),
    ]
    for wrong, path in wrongs:
        with pytest.raises(CaseError) as error:
            inspe.evaluate(case | wrong)
        assert error.value.path == path
