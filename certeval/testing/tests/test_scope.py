"""Defect 3 of issue 9: an organiser limited to one academy saw another academy's candidates
(names, e-mails) on the automated-results page and recorded their result through the API (200).
Every read and write is now limited to the organiser's enrolments."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from certeval.campaigns.tests.factories import UserFactory, organiser_of
from certeval.testing import selectors
from certeval.testing.errors import TestingError
from certeval.testing.services import automated_result_record
from certeval.testing.tests.factories import academy, campaign_of, enrolment_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def scoped() -> tuple[Client, object, object]:
    campaign = campaign_of()
    mine = enrolment_in(campaign, "lyon")
    theirs = enrolment_in(campaign, "nice")
    admin = UserFactory(is_superuser=True)
    automated_result_record(enrolment=theirs, level="confirme", obtained_on=date(2025, 5, 5), actor=admin)
    client = Client()
    client.force_login(organiser_of(campaign, academy=academy("lyon")))
    return client, mine, theirs


def test_the_page_lists_only_the_organisers_candidates(scoped) -> None:  # type: ignore[no-untyped-def]
    client, mine, theirs = scoped
    page = client.get(f"/volet-automatise/campagne/{mine.campaign_id}/").content.decode()
    assert mine.candidate.email in page
    assert theirs.candidate.email not in page and theirs.candidate.birth_name.upper() not in page
    # Nor can the page's form record a result for them.
    client.post(
        f"/volet-automatise/campagne/{mine.campaign_id}/",
        {"form": "one", "enrolment": theirs.pk, "level": "expert", "obtained_on": "2026-01-15"},
    )
    assert selectors.applicable_result(theirs).level == "confirme"  # type: ignore[union-attr]


def test_the_import_refuses_rows_outside_the_scope(scoped) -> None:  # type: ignore[no-untyped-def]
    client, mine, theirs = scoped
    csv = (
        "email;partie;niveau;obtenu_le\n"
        f"{mine.candidate.email};;avance;02/02/2026\n"
        f"{theirs.candidate.email};;expert;02/02/2026\n"
    )
    url = f"/api/v1/testing/campaigns/{mine.campaign_id}/automated-results/import"
    refused = client.post(url, csv, content_type="text/csv")
    assert refused.status_code == 422 and "Ligne 3 : candidat introuvable" in refused.json()["detail"]
    assert selectors.applicable_result(mine) is None  # all or nothing
    assert selectors.applicable_result(theirs).level == "confirme"  # type: ignore[union-attr]


def test_the_api_answers_404_for_another_academys_enrolment(scoped) -> None:  # type: ignore[no-untyped-def]
    client, mine, theirs = scoped
    base = f"/api/v1/testing/campaigns/{mine.campaign_id}/automated-results"
    payload = {"enrolment": theirs.pk, "level": "expert", "obtained_on": "2026-01-15"}
    assert client.post(base, payload, "application/json").status_code == 404
    put = {"level": "expert", "obtained_on": "2026-01-15"}
    assert (
        client.put(
            f"/api/v1/testing/enrolments/{theirs.pk}/automated-result", put, "application/json"
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/testing/enrolments/{theirs.pk}/automated-result").status_code == 404
    assert selectors.applicable_result(theirs).level == "confirme"  # type: ignore[union-attr]
    assert client.post(base, payload | {"enrolment": mine.pk}, "application/json").status_code == 200
    assert [r["enrolment"] for r in client.get(base).json()] == [mine.pk]


def test_the_service_refuses_an_actor_outside_the_scope(scoped) -> None:  # type: ignore[no-untyped-def]
    _client, mine, theirs = scoped
    organiser = organiser_of(mine.campaign, academy=academy("lyon"))
    with pytest.raises(TestingError, match="introuvable"):
        automated_result_record(
            enrolment=theirs, level="expert", obtained_on=date(2026, 1, 1), actor=organiser
        )
