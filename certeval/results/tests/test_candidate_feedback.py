"""An adjourned candidate reads, on their result page, the jury's comments, what stays valid (the
automated result for 3 years) and how to ask for a review (procedure and deadline from the setting
``CERTEVAL_REVIEW_REQUEST``); a certified candidate sees the comments only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django.utils.html import escape

from certeval.campaigns.models import CampaignState, CampaignTransition
from certeval.juries.services.deliberation import deliberation_save, deliberation_validate
from certeval.juries.tests.factories import JuryCampaign, jury_campaign
from certeval.juries.tests.test_services import CRITERIA
from certeval.results.review_defaults import DEFAULT_REVIEW_REQUEST
from certeval.results.tests.test_candidate_results import client_of, publish

pytestmark = pytest.mark.django_db


def decided_and_published(
    level: str, oral_comments: dict[str, str], item_comments: dict[str, str] | None = None
) -> JuryCampaign:
    """One candidate decided at ``level`` everywhere (automated result Confirmé), results published."""
    jc = jury_campaign(candidates=1)
    deliberation_save(
        slot=jc.slot(),
        actor=jc.president,
        consensus=dict.fromkeys(CRITERIA, level),
        item_comments=item_comments or {},
        oral_levels=dict.fromkeys("12345", level),
        oral_comments=oral_comments,
    )
    deliberation_validate(slot=jc.slot(), actor=jc.president)
    publish(jc)
    assert jc.campaign.state == CampaignState.PUBLISHED
    return jc


def result_page(jc: JuryCampaign) -> str:
    enrolment = jc.enrolments[0]
    return (
        client_of(enrolment.candidate.user)
        .get(f"/mes-certifications/{enrolment.pk}/resultat/")
        .content.decode()
    )


def adjourned_page(**review: object) -> str:
    jc = decided_and_published(
        "initie", {"2": "Ressources citées sans analyse"}, {"1": "Conception trop peu détaillée"}
    )
    with override_settings(CERTEVAL_REVIEW_REQUEST=DEFAULT_REVIEW_REQUEST | review):
        return result_page(jc)


def test_the_adjourned_candidate_sees_comments_what_stays_valid_and_the_review() -> None:
    html = adjourned_page()
    assert "Ajourné" in html
    assert "Commentaires du jury" in html
    assert escape("Ressources citées sans analyse") in html and "Conception trop peu détaillée" in html
    assert "Ce qui reste acquis" in html
    assert "Volet automatisé — niveau Confirmé, obtenu le 01/03/2026" in html
    assert escape("valable jusqu'au 01/03/2029") in html
    assert "Demander un réexamen de la décision (recours)" in html
    assert escape("recours gracieux") in html
    deadline = (timezone.localdate() + timedelta(days=60)).strftime("%d/%m/%Y")
    assert f"Délai : jusqu'au {deadline} inclus (60 jours après la publication de votre résultat)." in html


def test_the_review_follows_the_setting() -> None:
    html = adjourned_page(deadline_days=30, procedure="Écrire au rectorat.", contact="recours@ac-test.fr")
    assert escape("Écrire au rectorat.") in html and "recours@ac-test.fr" in html
    deadline = (timezone.localdate() + timedelta(days=30)).strftime("%d/%m/%Y")
    assert f"jusqu'au {deadline} inclus (30 jours" in html


def test_a_certified_candidate_sees_the_comments_without_review() -> None:
    html = result_page(decided_and_published("avance", {"1": "Posture réflexive"}))
    assert "Posture réflexive" in html and "Commentaires du jury" in html
    assert "recours" not in html and "Ce qui reste acquis" not in html


def test_the_page_says_when_the_review_deadline_has_passed() -> None:
    jc = decided_and_published("initie", {})
    long_ago = timezone.now() - timedelta(days=90)
    CampaignTransition.objects.filter(campaign=jc.campaign, to_state=CampaignState.PUBLISHED).update(
        at=long_ago
    )
    html = result_page(jc)
    day = (timezone.localdate(long_ago) + timedelta(days=60)).strftime("%d/%m/%Y")
    assert (
        f"Le délai de recours (60 jours après la publication de votre résultat) a pris fin le {day}." in html
    )
    # No comment written: no comment table.
    assert "Commentaires du jury" not in html
