"""The declared-evidence demo: a langues dossier refused on C2 with the reason in the decision, a
Facilitateur DEP with its declared evidence certified, and running it twice changes nothing."""

from __future__ import annotations

import io

import pytest

from certeval.campaigns.models import Campaign, CampaignState
from certeval.campaigns.tests.factories import UserFactory
from certeval.dossiers.models import EvidenceDeclaration
from certeval.juries.models import Deliberation
from certeval.juries.tests.factories import published
from certeval.results import demo_evidence

pytestmark = pytest.mark.django_db


def test_the_demo_decides_both_campaigns_once() -> None:
    published("langues-vivantes-innovation")
    published("facilitateur-apprentissage")
    UserFactory(email="organisateur@demo.certeval.fr")
    UserFactory(email="president@demo.certeval.fr")
    accounts = demo_evidence.populate(io.StringIO())
    assert [a.email for a in accounts] == [
        "candidat.langues@demo.certeval.fr",
        "candidat.facilitateur@demo.certeval.fr",
    ]
    for title in (demo_evidence.LANGUES_TITLE, demo_evidence.FACILITATEUR_TITLE):
        assert Campaign.objects.get(title=title).state == CampaignState.PUBLISHED
    decisions = {
        d.slot.enrolment.candidate.email: d
        for d in Deliberation.objects.filter(state=Deliberation.State.VALIDATED).select_related(
            "slot__enrolment__candidate"
        )
    }
    refused = decisions["candidat.langues@demo.certeval.fr"]
    assert refused.outcome == "not_certified"
    assert any(
        r.startswith("C2 ne peut pas être validée") and "1 déclaré(s), au moins 2 attendu(s)" in r
        for r in refused.evaluation["final"]["reasons"]
    )
    assert decisions["nora.langues@demo.certeval.fr"].outcome == "certified"
    assert decisions["candidat.facilitateur@demo.certeval.fr"].outcome == "certified"
    declared = EvidenceDeclaration.objects.count()
    assert declared == len(demo_evidence.FACILITATEUR_DEP) + 2 * len(demo_evidence.LANGUES_LIVRABLES) + 3
    demo_evidence.populate(io.StringIO())
    assert EvidenceDeclaration.objects.count() == declared
    assert Deliberation.objects.count() == 3
