"""Published campaigns with awards, shared by the credential tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from certeval.juries.services.deliberation import deliberation_save, deliberation_validate
from certeval.juries.tests.factories import JuryCampaign, jury_campaign
from certeval.results.tests.test_candidate_results import decide_pix, publish


def certified_campaign() -> JuryCampaign:
    """One candidate certified at « Confirmé », results published (one certification award)."""
    jc = jury_campaign(candidates=1)
    decide_pix(jc)
    publish(jc)
    return jc


def title_by_blocs(validated: str = "12") -> JuryCampaign:
    """The professional title, blocs ``validated`` recorded by the jury, results published."""
    jc = jury_campaign(candidates=1, framework="titre-responsable-formation")
    day = timezone.localdate() - timedelta(days=20)
    blocks = {b: {"validated": b in validated, "on": day.isoformat()} for b in "123456"}
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
    return jc
