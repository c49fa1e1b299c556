"""Automated results: the person's (they follow an adjourned candidate to the next campaign), the
lookup rule (most recent still valid, INSPÉ reads Pix+ Édu's test), the page, the CSV import
(all or nothing) and the API."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from certeval.audit.models import AuditEvent
from certeval.campaigns import prerequisites
from certeval.campaigns.tests.factories import organiser_of
from certeval.testing import selectors
from certeval.testing.errors import TestingError
from certeval.testing.models import AutomatedResult
from certeval.testing.services import automated_result_record
from certeval.testing.tests.factories import campaign_of, enrolment_in, published

pytestmark = pytest.mark.django_db


def test_a_result_belongs_to_the_person_and_follows_them_to_the_next_campaign() -> None:
    earlier = enrolment_in(campaign_of())
    organiser = organiser_of(earlier.campaign)
    automated_result_record(enrolment=earlier, level="avance", obtained_on=date(2025, 1, 15), actor=organiser)
    later = enrolment_in(campaign_of(), candidate=earlier.candidate)

    result = selectors.applicable_result(later, on=date(2026, 6, 1))
    assert result is not None and (result.level, result.obtained_on) == ("avance", date(2025, 1, 15))
    assert (result.campaign_id, result.enrolment_id) == (earlier.campaign_id, earlier.pk)  # provenance
    assert [c.met for c in prerequisites.enrolment_checks(later, today=date(2026, 6, 1))] == [True]
    # Valid 3 years, the last day included; then no applicable result (the expired one on request).
    assert selectors.applicable_result(later, on=date(2028, 1, 15)) == result
    assert selectors.applicable_result(later, on=date(2028, 1, 16)) is None
    assert selectors.applicable_result(later, on=date(2028, 1, 16), include_expired=True) == result
    checks = prerequisites.enrolment_checks(later, today=date(2028, 1, 16))
    assert not checks[0].met and "expiré" in checks[0].explanation


def test_the_most_recent_result_applies_and_recording_again_corrects_it() -> None:
    first = enrolment_in(campaign_of())
    second = enrolment_in(campaign_of(), candidate=first.candidate)
    automated_result_record(enrolment=first, level="avance", obtained_on=date(2025, 1, 15), actor=None)
    automated_result_record(enrolment=second, level="confirme", obtained_on=date(2026, 2, 1), actor=None)
    assert selectors.applicable_result(first).level == "confirme"  # type: ignore[union-attr]
    # Before the second result was obtained, the first applied.
    assert selectors.applicable_result(second, on=date(2026, 1, 31)).level == "avance"  # type: ignore[union-attr]
    automated_result_record(enrolment=second, level="expert", obtained_on=date(2026, 2, 2), actor=None)
    assert AutomatedResult.objects.filter(candidate=first.candidate).count() == 2
    assert selectors.applicable_result(first).level == "expert"  # type: ignore[union-attr]


def test_inspe_reads_the_result_of_the_pix_plus_edu_automated_test(settings) -> None:  # type: ignore[no-untyped-def]
    pix = enrolment_in(campaign_of("pix-plus-edu"))
    inspe = enrolment_in(campaign_of("inspe-crcn-edu"), candidate=pix.candidate)
    # The rule is sound: both référentiels describe the same automated test.
    rules = [published(f).document["rules"]["automated"] for f in ("pix-plus-edu", "inspe-crcn-edu")]
    assert rules[0]["parts"] == rules[1]["parts"] and rules[0]["validity_years"] == rules[1]["validity_years"]
    assert selectors.automated_test_of(inspe.campaign.framework_version) == "pix-plus-edu"
    automated_result_record(enrolment=pix, level="confirme", obtained_on=date(2025, 3, 1), actor=None)
    assert selectors.applicable_result(inspe, on=date(2026, 1, 1)).level == "confirme"  # type: ignore[union-attr]
    # Recorded through the INSPÉ campaign, it is a Pix+ Édu result too.
    automated_result_record(enrolment=inspe, level="avance", obtained_on=date(2025, 6, 1), actor=None)
    assert selectors.applicable_result(pix, on=date(2026, 1, 1)).level == "avance"  # type: ignore[union-attr]
    # The rule is a setting: without the mapping, INSPÉ has its own automated test.
    settings.CERTEVAL_AUTOMATED_TESTS = {}
    assert selectors.applicable_result(inspe, on=date(2026, 1, 1)) is None
    # A référentiel without automated part has no automated test.
    assert selectors.automated_test_of(published("facilitateur-apprentissage")) is None


def test_refusals_of_a_record() -> None:
    enrolment = enrolment_in(campaign_of())
    with pytest.raises(TestingError, match="Niveau inconnu"):
        automated_result_record(enrolment=enrolment, level="acquis", obtained_on=date(2025, 1, 1), actor=None)
    with pytest.raises(TestingError, match="futur"):
        automated_result_record(
            enrolment=enrolment,
            level="avance",
            obtained_on=timezone.localdate() + timedelta(days=1),
            actor=None,
        )
    with pytest.raises(TestingError, match="niveau global"):
        automated_result_record(
            enrolment=enrolment, level="avance", obtained_on=date(2025, 1, 1), actor=None, part="crcn-edu"
        )
    automated_result_record(enrolment=enrolment, level="avance", obtained_on=date(2025, 1, 1), actor=None)
    with pytest.raises(TestingError, match="Partie inconnue"):
        automated_result_record(
            enrolment=enrolment, level="avance", obtained_on=date(2025, 1, 1), actor=None, part="x"
        )
    other = enrolment_in(campaign_of("facilitateur-apprentissage"))
    with pytest.raises(TestingError, match="pas de volet automatisé"):
        automated_result_record(enrolment=other, level="expert", obtained_on=date(2025, 1, 1), actor=None)


def test_page_records_one_and_the_api_imports_a_file_all_or_nothing(client: Client) -> None:
    campaign = campaign_of()
    first, second = enrolment_in(campaign), enrolment_in(campaign)
    client.force_login(organiser_of(campaign))
    url = f"/volet-automatise/campagne/{campaign.pk}/"
    response = client.post(
        url,
        {"form": "one", "enrolment": first.pk, "level": "avance", "obtained_on": "2026-01-15"},
        follow=True,
    )
    assert "Résultat enregistré." in response.content.decode()
    assert selectors.applicable_result(first).level == "avance"  # type: ignore[union-attr]
    csv = (
        "\ufeffemail;candidat;partie;niveau;obtenu_le\n"
        f";{second.pk};crcn-edu;expert;02/02/2026\n"
        f"{second.candidate.email};;;expert;02/02/2026\n"
    )
    api = client.post(
        f"/api/v1/testing/campaigns/{campaign.pk}/automated-results/import", csv, content_type="text/csv"
    )
    assert api.json() == {"imported": 2}
    result = selectors.applicable_result(second)
    assert result is not None and result.level == "expert" and result.parts["crcn-edu"]["level"] == "expert"
    bad = (
        "email;partie;niveau;obtenu_le\ninconnu@exemple.fr;;expert;02/02/2026\n"
        f"{second.candidate.email};x;expert;2026-02-02\n"
    )
    refused = client.post(
        f"/api/v1/testing/campaigns/{campaign.pk}/automated-results/import", bad, content_type="text/csv"
    )
    assert refused.status_code == 422
    assert "Ligne 2 : candidat introuvable" in refused.json()["detail"]
    half_bad = f"email;partie;niveau;obtenu_le\n{first.candidate.email};;expert;02/02/2026\n{second.candidate.email};x;expert;2026-02-02\n"
    assert (
        client.post(
            f"/api/v1/testing/campaigns/{campaign.pk}/automated-results/import",
            half_bad,
            content_type="text/csv",
        ).status_code
        == 422
    )
    assert selectors.applicable_result(first).level == "avance"  # type: ignore[union-attr]  # nothing kept
    page = client.get(url).content.decode()
    assert "Expert" in page and "crcn-edu : Expert" in page and "cette campagne" in page
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    client.post(url, {"form": "one", "enrolment": first.pk, "level": "avance", "obtained_on": future})
    assert selectors.applicable_result(first).obtained_on == date(2026, 1, 15)  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(action="testing.automated_result").count() == 3
    assert AuditEvent.objects.filter(action="testing.automated_import").count() == 1


def test_api_records_and_reads_the_result_of_an_enrolment() -> None:
    enrolment = enrolment_in(campaign_of())
    client = Client()
    client.force_login(organiser_of(enrolment.campaign))
    url = f"/api/v1/testing/enrolments/{enrolment.pk}/automated-result"
    assert client.get(url).json() == {"enrolment": enrolment.pk, "result": None}
    bad = client.put(url, {"level": "nope", "obtained_on": "2026-01-01"}, "application/json")
    assert bad.status_code == 422 and "Niveau inconnu" in bad.json()["detail"]
    future = client.put(url, {"level": "avance", "obtained_on": "2999-01-01"}, "application/json")
    assert future.status_code == 422 and "futur" in future.json()["detail"]
    done = client.put(url, {"level": "avance", "obtained_on": "2026-01-01"}, "application/json")
    assert done.status_code == 200
    assert done.json() == {
        "enrolment": enrolment.pk,
        "level": "avance",
        "obtained_on": "2026-01-01",
        "valid_until": "2029-01-01",
        "recorded_in_campaign": enrolment.campaign_id,
        "parts": {},
    }
    # The candidate reads their own result, and cannot record one (same 404 as an absent enrolment).
    candidate = Client()
    candidate.force_login(enrolment.candidate.user)
    assert candidate.get(url).json()["result"]["level"] == "avance"
    assert (
        candidate.put(url, {"level": "expert", "obtained_on": "2026-01-01"}, "application/json").status_code
        == 404
    )
