"""Awards are issued when a campaign's results are published (a certification award for a certified
decision, one per bloc validated), once only; revocation needs a reason and a whole-campaign
organiser; the holder alone chooses what the verification page shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from certeval.audit.models import AuditEvent
from certeval.campaigns.tests.factories import UserFactory, organiser_of
from certeval.domain.awards import CODE_ALPHABET, CODE_LENGTH
from certeval.juries.services.deliberation import (
    deliberation_reopen,
    deliberation_save,
    deliberation_validate,
)
from certeval.juries.tests.factories import academy, jury_campaign
from certeval.results.award_services import (
    AwardError,
    award_disclosure_update,
    award_revoke,
    awards_issue_for_enrolments,
)
from certeval.results.models import Award
from certeval.results.tests.test_candidate_results import decide_pix, publish

pytestmark = pytest.mark.django_db


def test_publication_issues_a_certification_award_with_its_frozen_snapshot() -> None:
    jc = jury_campaign(candidates=1)
    decide_pix(jc)
    publish(jc)
    (award,) = Award.objects.all()
    enrolment = jc.enrolments[0]
    assert award.kind == Award.Kind.CERTIFICATION and award.candidate == enrolment.candidate
    assert award.enrolment == enrolment and award.campaign == jc.campaign
    assert award.level == "confirme" and award.snapshot["level_label"] == "Confirmé"
    assert award.snapshot["certification"] == jc.campaign.framework_version.title
    assert award.snapshot["to_work_on"] and award.snapshot["acquired"]
    assert award.valid_until is None and award.valid_from == award.awarded_on
    assert len(award.code) == CODE_LENGTH and set(award.code) <= set(CODE_ALPHABET)
    assert 0 <= award.status_index < 131072
    assert award.show_name and award.show_level and award.show_date
    assert AuditEvent.objects.filter(action="results.award_issue", target_id=str(award.pk)).exists()
    # Idempotent: issuing again returns the same award and adds nothing.
    again = awards_issue_for_enrolments([enrolment], by=jc.organiser)
    assert again == [award] and Award.objects.count() == 1


def test_a_title_by_blocs_gets_one_award_per_validated_bloc() -> None:
    jc = jury_campaign(candidates=1, framework="titre-responsable-formation")
    day = timezone.localdate() - timedelta(days=20)
    blocks = {b: {"validated": b != "6", "on": day.isoformat()} for b in "123456"}
    deliberation_save(
        slot=jc.slot(),
        actor=jc.president,
        consensus={},
        item_comments={},
        oral_levels={},
        oral_comments={},
        verdicts={"blocks": blocks, "final_interview": None},
    )
    deliberation_validate(slot=jc.slot(), actor=jc.president)
    publish(jc)
    awards = list(Award.objects.order_by("bloc_code"))
    assert [a.bloc_code for a in awards] == ["1", "2", "3", "4", "5"]
    assert {a.kind for a in awards} == {Award.Kind.BLOC}
    assert all(a.valid_from == day and a.valid_until is None for a in awards)
    assert awards[0].snapshot["bloc_label"].startswith("Bloc 1 — ")
    assert len({a.code for a in awards}) == 5 and len({a.status_index for a in awards}) == 5
    # A new decision after a review records the same blocs: they keep their first award.
    deliberation_reopen(slot=jc.slot(), actor=jc.president, reason="Recours")
    deliberation_validate(slot=jc.slot(), actor=jc.president)
    awards_issue_for_enrolments([jc.enrolments[0]], by=jc.organiser)
    assert Award.objects.count() == 5


def test_revocation_needs_a_reason_and_a_whole_campaign_organiser() -> None:
    jc = jury_campaign(candidates=1)
    decide_pix(jc)
    publish(jc)
    award = Award.objects.get()
    scoped = organiser_of(jc.campaign, academy=academy("lyon"))
    with pytest.raises(AwardError, match="sans restriction"):
        award_revoke(award, scoped, "Fraude")
    with pytest.raises(AwardError, match="motif"):
        award_revoke(award, jc.organiser, "   ")
    award = award_revoke(award, jc.organiser, "Fraude constatée par la commission")
    assert award.revoked and award.revoked_by == jc.organiser
    event = AuditEvent.objects.get(action="results.award_revoke", outcome="done")
    assert event.data["reason"] == "Fraude constatée par la commission"
    assert AuditEvent.objects.filter(action="results.award_revoke", outcome="refused").count() == 1
    with pytest.raises(AwardError, match="déjà"):
        award_revoke(award, jc.organiser, "encore")


def test_only_the_holder_changes_what_is_shown() -> None:
    jc = jury_campaign(candidates=1)
    decide_pix(jc)
    publish(jc)
    award = Award.objects.get()
    with pytest.raises(AwardError):
        award_disclosure_update(award, UserFactory(), show_name=False, show_level=True, show_date=True)
    holder = jc.enrolments[0].candidate.user
    award = award_disclosure_update(award, holder, show_name=False, show_level=False, show_date=True)
    assert (award.show_name, award.show_level, award.show_date) == (False, False, True)


def test_the_cli_issues_missing_awards_and_writes_a_pdf(tmp_path) -> None:
    import io

    from django.core.management import CommandError, call_command

    jc = jury_campaign(candidates=1)
    decide_pix(jc)
    publish(jc)
    award = Award.objects.get()
    Award.objects.all().delete()
    out = io.StringIO()
    call_command("awards", "issue", stdout=out)
    assert out.getvalue().strip() == "1 award(s) issued."
    call_command("awards", "issue", "--campaign", str(jc.campaign.pk), stdout=out)
    assert out.getvalue().strip().endswith("0 award(s) issued.")
    award = Award.objects.get()
    target = tmp_path / "a.pdf"
    call_command("awards", "pdf", award.grouped_code, "--output", str(target), stdout=out)
    assert target.read_bytes().startswith(b"%PDF")
    with pytest.raises(CommandError):
        call_command("awards", "pdf", "ZZZZ-ZZZZ-ZZZZ", "--output", str(target))
