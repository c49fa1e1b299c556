"""The demo's published campaigns of the other decision kinds: decided through the services,
visible to the demo candidate, and idempotent."""

from __future__ import annotations

import io

import pytest

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import Campaign, CampaignState
from certeval.campaigns.tests.factories import UserFactory
from certeval.juries.demo import RESULTS_CANDIDATE, _published_campaigns
from certeval.juries.models import Deliberation
from certeval.juries.tests.factories import published
from certeval.results import selectors

pytestmark = pytest.mark.django_db


def test_published_demo_campaigns_show_each_outcome_once() -> None:
    published("titre-responsable-formation")
    published("facilitateur-apprentissage")
    UserFactory(email="organisateur@demo.certeval.fr")
    UserFactory(email="president@demo.certeval.fr")
    out = io.StringIO()
    accounts = _published_campaigns(out)
    assert [a.email for a in accounts] == [RESULTS_CANDIDATE[0]]
    campaigns = Campaign.objects.filter(title__contains="résultats publiés")
    assert {c.state for c in campaigns} == {CampaignState.PUBLISHED}
    decided = {
        (d.slot.jury.campaign.framework_version.framework_id, d.slot.enrolment.candidate.email): d.outcome
        for d in Deliberation.objects.select_related("slot__jury__campaign__framework_version")
    }
    assert decided == {
        ("titre-responsable-formation", RESULTS_CANDIDATE[0]): "certified",
        ("titre-responsable-formation", "ines.bloc@demo.certeval.fr"): "not_certified",
        ("titre-responsable-formation", "marc.bloc4@demo.certeval.fr"): "not_certified",
        ("facilitateur-apprentissage", "lina.facilitatrice@demo.certeval.fr"): "certified",
        ("facilitateur-apprentissage", RESULTS_CANDIDATE[0]): "not_certified",
    }
    mine = [
        selectors.candidate_result(e)
        for c in campaigns
        for e in c.enrolments.filter(candidate__email=RESULTS_CANDIDATE[0])
    ]
    assert all(r is not None for r in mine)
    assert all(e.dossier.state == "submitted" for c in campaigns for e in c.enrolments.all())
    events = AuditEvent.objects.count()
    assert _published_campaigns(io.StringIO()) == accounts
    assert AuditEvent.objects.count() == events
