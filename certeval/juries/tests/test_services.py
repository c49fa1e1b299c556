"""Composition, hand edits, scoring, harmonisation and decisions through the services."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import ReviewerAssignment
from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory
from certeval.domain.juries import check_assignment
from certeval.frameworks.selectors import framework_of
from certeval.juries import selectors
from certeval.juries.errors import JuryError
from certeval.juries.models import (
    Deliberation,
    GridScore,
    JurorRole,
    Jury,
    JuryMember,
    OralSlot,
    ValidatedDeliberationError,
)
from certeval.juries.services.composition import (
    composition_to_dict,
    jury_compose_campaign,
    jury_member_swap,
    oral_slot_move,
)
from certeval.juries.services.deliberation import (
    deliberation_reopen,
    deliberation_save,
    deliberation_validate,
)
from certeval.juries.services.scoring import grid_score_save, grid_score_submit
from certeval.juries.tests.factories import JurorFactory, academy, jury_campaign, submitted_enrolment
from certeval.testing.models import AutomatedResult
from certeval.testing.services import automated_result_record

pytestmark = pytest.mark.django_db

CRITERIA = [
    "1.1",
    "1.2",
    "2.1",
    "2.2",
    "3.1",
    "3.2",
    "4.1",
    "4.2",
    "5.1",
    "5.2",
    "6.1",
    "6.2",
    "7.1",
    "7.2",
    "8.1",
    "8.2",
]


def test_composition_stores_valid_juries_slots_and_reviewer_rights() -> None:
    jc = jury_campaign(candidates=6)
    data = selectors.composition_input(jc.campaign)
    slots = list(OralSlot.objects.select_related("jury").prefetch_related("jury__members"))
    assert len(slots) == 6
    from certeval.domain.juries import Assignment

    assignments = [
        Assignment(
            selectors.candidate_key(s.enrolment_id),
            tuple(sorted(selectors.juror_key(m.juror_id) for m in s.jury.members.all())),
            s.jury.halfday,
            s.index,
        )
        for s in slots
    ]
    assert check_assignment(data.instance, assignments) == []
    jury = slots[0].jury
    roles = sorted(jury.members.values_list("role", flat=True))
    assert roles == ["note_taker", "president", "questioner"]
    president = jury.members.get(role="president").juror
    assert president.role == JurorRole.DRANE
    # Slot times: 08:30 then every 45 + 10 minutes.
    first = OralSlot.objects.filter(jury__halfday="2026-05-12-am").order_by("index")
    times = [timezone.localtime(s.starts_at).strftime("%H:%M") for s in first]
    assert times[:2] == ["08:30", "09:25"]
    # Each juror (and the group president) reads exactly their candidates' dossiers.
    for juror in jc.jurors:
        assert set(
            ReviewerAssignment.objects.filter(user=juror.user).values_list("enrolment_id", flat=True)
        ) == {e.pk for e in jc.enrolments}
    assert ReviewerAssignment.objects.filter(user=jc.president, role="president").count() == 6
    dumped = composition_to_dict(
        jury_compose_campaign(campaign=jc.campaign, actor=jc.organiser, time_limit=10)
    )
    assert dumped["status"] in {"optimal", "feasible"}
    assert sum(len(j["orals"]) for j in dumped["juries"]) == 6
    assert AuditEvent.objects.filter(action="juries.compose").count() == 2


def test_infeasible_composition_is_explained_in_french_and_changes_nothing() -> None:
    jc = jury_campaign(candidates=2)
    before = list(Jury.objects.values_list("pk", flat=True))
    # A candidate from Lyon: the DRANE member (Lyon) cannot sit, and nobody else holds that role.
    lyon = submitted_enrolment(jc.campaign, "lyon")
    result = jury_compose_campaign(campaign=jc.campaign, actor=jc.organiser, time_limit=10)
    assert not result.ok
    assert list(Jury.objects.values_list("pk", flat=True)) == before
    text = " ".join(f"{e['label']} {e['detail']}" for e in result.explanation)
    assert lyon.candidate.display_name in text
    assert result.run.result["explanation_fr"] == result.explanation
    assert composition_to_dict(result)["status"] == "infeasible"


def test_composition_is_refused_once_scoring_has_begun() -> None:
    jc = jury_campaign(candidates=1)
    grid_score_save(slot=jc.slot(), juror=jc.jurors[0], levels={"1.1": "avance"})
    with pytest.raises(JuryError):
        jury_compose_campaign(campaign=jc.campaign, actor=jc.organiser)


def test_hand_edit_breaking_a_constraint_is_refused_with_a_french_reason_and_logged() -> None:
    jc = jury_campaign(candidates=2)
    member = JuryMember.objects.get(juror=jc.jurors[1], jury=jc.slot().jury)
    same_academy = JurorFactory(campaign=jc.campaign, role=JurorRole.EXPERT, academy=academy("versailles"))
    with pytest.raises(JuryError) as refused:
        jury_member_swap(member=member, new_juror=same_academy, actor=jc.organiser)
    assert any("appartient à l'académie de" in reason for reason in refused.value.reasons)
    assert AuditEvent.objects.filter(action="juries.member_swap", outcome="refused").exists()
    # A juror of the wrong role breaks the role groups (three experts).
    expert = JurorFactory(campaign=jc.campaign, role=JurorRole.EXPERT, academy=academy("nice"))
    drane = JuryMember.objects.get(juror=jc.jurors[0], jury=jc.slot().jury)
    with pytest.raises(JuryError) as refused:
        jury_member_swap(member=drane, new_juror=expert, actor=jc.organiser)
    assert any("qualité" in reason for reason in refused.value.reasons)


def test_valid_hand_edits_are_applied_and_move_reading_rights() -> None:
    jc = jury_campaign(candidates=2)
    slot = jc.slot()
    member = JuryMember.objects.get(juror=jc.jurors[2], jury=slot.jury)
    other = JurorFactory(campaign=jc.campaign, role=JurorRole.EXPERT, academy=academy("nice"))
    jury_member_swap(member=member, new_juror=other, actor=jc.organiser)
    assert ReviewerAssignment.objects.filter(user=other.user, enrolment=slot.enrolment).exists()
    assert not ReviewerAssignment.objects.filter(user=jc.jurors[2].user).exists()
    moved = oral_slot_move(slot=slot, jury=slot.jury, index=4, actor=jc.organiser)
    assert timezone.localtime(moved.starts_at).strftime("%H:%M") == "11:15"
    with pytest.raises(JuryError):
        oral_slot_move(slot=slot, jury=slot.jury, index=9, actor=jc.organiser)


def _score_all(jc, juror, level: str) -> GridScore:  # type: ignore[no-untyped-def]
    grid_score_save(slot=jc.slot(), juror=juror, levels=dict.fromkeys(CRITERIA, level))
    return grid_score_submit(slot=jc.slot(), juror=juror, actor=juror.user)


def test_scoring_waits_for_calibration_and_is_closed_by_submission() -> None:
    jc = jury_campaign(candidates=1, calibrated=False)
    with pytest.raises(JuryError, match="cadrage"):
        grid_score_save(slot=jc.slot(), juror=jc.jurors[0], levels={"1.1": "avance"})
    jc = jury_campaign(candidates=1)
    juror = jc.jurors[0]
    grid_score_save(slot=jc.slot(), juror=juror, levels={"1.1": "avance"}, comments={"1": "Bien"})
    grid_score_save(slot=jc.slot(), juror=juror, levels={"1.2": GridScore.NON_OBSERVABLE})
    with pytest.raises(JuryError, match="Critères sans niveau"):
        grid_score_submit(slot=jc.slot(), juror=juror, actor=juror.user)
    score = _score_all(jc, juror, "confirme")
    assert score.submitted_at is not None and score.comments == {"1": "Bien"}
    with pytest.raises(JuryError, match="transmise"):
        grid_score_save(slot=jc.slot(), juror=juror, levels={"1.1": "expert"})
    outsider = JurorFactory(campaign=jc.campaign, academy=academy("nice"))
    with pytest.raises(JuryError, match="ne siégez pas"):
        grid_score_save(slot=jc.slot(), juror=outsider, levels={"1.1": "expert"})


def test_agreement_figures_disagreements_and_severity() -> None:
    jc = jury_campaign(candidates=1)
    grid_score_save(slot=jc.slot(), juror=jc.jurors[0], levels=dict.fromkeys(CRITERIA, "initie"))
    grid_score_submit(slot=jc.slot(), juror=jc.jurors[0], actor=jc.jurors[0].user)
    _score_all(jc, jc.jurors[1], "avance")
    levels = dict.fromkeys(CRITERIA, "avance") | {"1.1": "confirme"}
    grid_score_save(slot=jc.slot(), juror=jc.jurors[2], levels=levels)
    grid_score_submit(slot=jc.slot(), juror=jc.jurors[2], actor=jc.jurors[2].user)
    jury = selectors.jury_detail(jc.slot().jury_id)
    framework, rules = framework_of(jc.campaign.framework_version)
    agreement = selectors.jury_agreement(jury, framework, selectors.dossier_grid(framework, rules))
    (candidate,) = agreement.candidates
    assert candidate.submitted == 3
    # Initié (1) against Avancé (3): every criterion differs by two levels.
    assert len(candidate.disagreements) == 16
    assert candidate.disagreements[0]["spread"] == 2
    severity = {s["juror"]: s["deviation"] for s in agreement.severity}
    assert severity[jc.jurors[0].display_name] < 0 < severity[jc.jurors[1].display_name]
    assert agreement.alpha is not None and agreement.alpha < 0.2
    assert agreement.campaign_alpha == agreement.alpha


def _harmonise(jc, grid_level: str = "avance", oral_level: str = "avance") -> Deliberation:  # type: ignore[no-untyped-def]
    return deliberation_save(
        slot=jc.slot(),
        actor=jc.president,
        consensus=dict.fromkeys(CRITERIA, grid_level),
        item_comments={"1": "Stratégie pertinente"},
        oral_levels=dict.fromkeys(["1", "2", "3", "4", "5"], oral_level),
        oral_comments={"1": "Posture réflexive"},
    )


def test_deliberation_computes_levels_with_reasons_and_the_policy() -> None:
    jc = jury_campaign(candidates=1)
    draft = _harmonise(jc)
    assert draft.evaluation["dossier"]["level"] == "avance"
    assert draft.evaluation["practice"]["level"] == "avance"
    # Automated part at Confirmé, practice at Avancé: both policies certify Confirmé.
    assert draft.final_level == "confirme" and draft.outcome == "certified"
    assert any("Confirmé" in r for r in draft.evaluation["final"]["reasons"])
    draft = _harmonise(jc, "initie", "initie")
    # Adjourn policy (default): practice below the automated level → adjourned.
    assert draft.outcome == "adjourned" and draft.final_level == ""
    with pytest.raises(JuryError, match="président"):
        deliberation_save(
            slot=jc.slot(),
            actor=jc.jurors[1].user,
            consensus={},
            item_comments={},
            oral_levels={},
            oral_comments={},
        )


def test_validated_decision_is_immutable_and_changed_only_by_a_new_logged_deliberation() -> None:
    jc = jury_campaign(candidates=1)
    _harmonise(jc)
    decision = deliberation_validate(slot=jc.slot(), actor=jc.president)
    assert decision.validated_by == jc.president and decision.validated_at is not None
    event = AuditEvent.objects.get(action="juries.decision")
    assert event.actor == jc.president and event.data["final_level"] == "confirme"
    decision.final_level = "expert"
    with pytest.raises(ValidatedDeliberationError):
        decision.save()
    with pytest.raises(ValidatedDeliberationError):
        decision.delete()
    with pytest.raises(JuryError, match="nouvelle délibération"):
        _harmonise(jc, "initie", "initie")
    with pytest.raises(JuryError, match="motif"):
        deliberation_reopen(slot=jc.slot(), actor=jc.president, reason=" ")
    second = deliberation_reopen(slot=jc.slot(), actor=jc.president, reason="Erreur de saisie au domaine 2")
    assert second.number == 2 and second.state == "draft"
    _harmonise(jc, "initie", "initie")
    deliberation_validate(slot=jc.slot(), actor=jc.president)
    assert list(Deliberation.objects.order_by("number").values_list("outcome", flat=True)) == [
        "certified",
        "adjourned",
    ]
    assert AuditEvent.objects.filter(action="juries.deliberation_reopen").get().message == (
        "Erreur de saisie au domaine 2"
    )


def test_joint_policy_values_a_lower_practice_level(settings) -> None:  # type: ignore[no-untyped-def]
    jc = jury_campaign(candidates=1)
    jc.campaign.final_policy = "joint"
    jc.campaign.save()
    draft = _harmonise(jc, "initie", "initie")
    assert draft.outcome == "certified" and draft.final_level == "initie"


def test_no_automated_result_makes_the_candidate_ineligible() -> None:
    jc = jury_campaign(candidates=1)
    AutomatedResult.objects.filter(candidate=jc.enrolments[0].candidate).delete()
    draft = _harmonise(jc)
    assert draft.outcome == "ineligible"
    assert "non recevable" in draft.evaluation["final"]["reasons"][-1]


def test_the_decision_uses_the_persons_result_recorded_in_an_earlier_campaign() -> None:
    """Issue 9, defect 7: an adjourned candidate's automated result (valid 3 years) follows them."""
    jc = jury_campaign(candidates=1)
    candidate = jc.enrolments[0].candidate
    AutomatedResult.objects.filter(candidate=candidate).delete()
    earlier = EnrolmentFactory(
        campaign=CampaignFactory(framework_version=jc.campaign.framework_version), candidate=candidate
    )
    automated_result_record(enrolment=earlier, level="avance", obtained_on=date(2025, 2, 1), actor=None)
    draft = _harmonise(jc)
    assert draft.evaluation["automated"] == {"level": "avance", "obtained_on": "2025-02-01"}
    assert draft.outcome == "certified" and draft.final_level == "avance"


def test_expired_automated_result_makes_the_candidate_ineligible() -> None:
    jc = jury_campaign(candidates=1)
    result = AutomatedResult.objects.get(candidate=jc.enrolments[0].candidate)
    result.obtained_on = date(2020, 1, 6)
    result.save()
    assert _harmonise(jc).outcome == "ineligible"
