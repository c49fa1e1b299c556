"""A published Facilitateur campaign whose candidates hold a validated « Certifié » decision, with
its declaration settings, for the Caisse des Dépôts tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from certeval.campaigns.models import Campaign, CampaignState
from certeval.juries.models import Deliberation
from certeval.juries.tests.factories import JuryCampaign, jury_campaign
from certeval.results.models import CdcHolderData, CdcSettings

XSD = Path(__file__).resolve().parents[3] / ".." / "shared" / "standards" / "cdc" / "cpf-1.1.2.xsd"
FRAMEWORK = "facilitateur-apprentissage"


def needs_xsd() -> Path:
    if not XSD.is_file():
        pytest.skip("../shared/standards/cdc/cpf-1.1.2.xsd absent")
    return XSD


def decide(
    jc: JuryCampaign, index: int, outcome: str = "certified", at: datetime | None = None
) -> Deliberation:
    return Deliberation.objects.create(
        slot=jc.slot(index),
        state=Deliberation.State.VALIDATED,
        outcome=outcome,
        created_by=jc.president,
        validated_by=jc.president,
        validated_at=at or timezone.now(),
    )


def declared_campaign(candidates: int = 2, *, complete: bool = True, codes: bool = True) -> JuryCampaign:
    """``candidates`` certified holders of a published campaign (the last one adjourned when there
    are three or more); ``complete``: their sex is recorded; ``codes``: the declaration is set."""
    jc = jury_campaign(candidates=candidates, framework=FRAMEWORK, automated=False)
    for index in range(candidates):
        decide(jc, index, "adjourned" if candidates >= 3 and index == candidates - 1 else "certified")
        if complete:
            CdcHolderData.objects.create(candidate=jc.enrolments[index].candidate, sex="F")
    Campaign.objects.filter(pk=jc.campaign.pk).update(state=CampaignState.PUBLISHED)
    jc.campaign.refresh_from_db()
    if codes:
        CdcSettings.objects.create(
            framework_id=FRAMEWORK,
            certification_type="RS",
            code="RS5678",
            certifier_id="12345678",
            contract_id="CTR-2026",
        )
    return jc
