"""Two hand edits of a composition sent at the same time are checked one after the other: when
together they break the composition rule, one passes and the other is refused (and logged)."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from django.db import connection

from certeval.audit.models import AuditEvent
from certeval.juries.errors import JuryError
from certeval.juries.models import JurorRole, JuryMember
from certeval.juries.services import composition
from certeval.juries.tests.factories import JurorFactory, academy, jury_campaign

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_concurrent_swaps_that_together_break_the_rule_do_not_both_pass(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    jc = jury_campaign(candidates=1)
    jury = jc.slot().jury
    # The jury has one DRANE member and two experts; the rule asks for 1 or 2 experts. Replacing
    # either expert by another DRANE member holds; replacing both leaves no expert.
    experts = [JuryMember.objects.get(jury=jury, juror=juror) for juror in jc.jurors[1:]]
    newcomers = [
        JurorFactory(campaign=jc.campaign, role=JurorRole.DRANE, academy=academy(code))
        for code in ("nice", "lille")
    ]
    # Both edits reach the rule check before either writes, as two requests arriving together
    # would (a check that holds the lock waits at most two seconds for the other, then goes on).
    checked = threading.Barrier(2)
    check = composition.check_assignment

    def check_together(*args: Any) -> Any:
        found = check(*args)
        with contextlib.suppress(threading.BrokenBarrierError):
            checked.wait(timeout=2)
        return found

    monkeypatch.setattr(composition, "check_assignment", check_together)
    outcomes: list[str] = []

    def swap(member: JuryMember, new_juror: Any) -> None:
        try:
            composition.jury_member_swap(member=member, new_juror=new_juror, actor=jc.organiser)
            outcomes.append("done")
        except JuryError as error:
            outcomes.append("refused: " + " ".join(error.reasons))
        finally:
            connection.close()

    threads = [threading.Thread(target=swap, args=pair) for pair in zip(experts, newcomers, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(o.split(":")[0] for o in outcomes) == ["done", "refused"], outcomes
    roles = sorted(JuryMember.objects.filter(jury=jury).values_list("juror__role", flat=True))
    assert roles.count(JurorRole.EXPERT) == 1 and roles.count(JurorRole.DRANE) == 2
    assert AuditEvent.objects.filter(action="juries.member_swap", outcome="refused").count() == 1
