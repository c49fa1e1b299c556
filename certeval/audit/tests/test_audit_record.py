"""One write path: ``audit_record`` runs only inside the application's transaction, and every row
carries the campaign and the person concerned (derived from the object, or given); a person's rows
can be read back (RGPD access requests)."""

from __future__ import annotations

import pytest
from django.db import transaction

from certeval.audit.models import AuditEvent
from certeval.audit.selectors import (
    audit_events_about_person,
    audit_events_by_person,
    audit_events_of_person,
)
from certeval.audit.services import AuditOutsideTransactionError, audit_record
from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory, SessionFactory, UserFactory
from certeval.juries.tests.factories import JurorFactory

pytestmark = pytest.mark.django_db


def test_audit_record_refuses_to_run_outside_a_transaction() -> None:
    campaign = CampaignFactory()
    with pytest.raises(AuditOutsideTransactionError):
        audit_record(actor=None, action="campaign.create", target=campaign)
    assert not AuditEvent.objects.exists()
    with transaction.atomic():
        audit_record(actor=None, action="campaign.create", target=campaign)
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_test_case_too_only_a_transaction_allows_a_row() -> None:
    campaign = CampaignFactory()
    with pytest.raises(AuditOutsideTransactionError):
        audit_record(actor=None, action="campaign.create", target=campaign)
    with transaction.atomic():
        audit_record(actor=None, action="campaign.create", target=campaign)
    assert AuditEvent.objects.count() == 1


def record(target, **kwargs):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        return audit_record(actor=None, action="test.action", target=target, **kwargs)


def test_campaign_and_person_are_derived_from_the_object() -> None:
    enrolment = EnrolmentFactory()
    campaign = enrolment.campaign
    candidate = enrolment.candidate.user
    juror = JurorFactory(campaign=campaign)
    session = SessionFactory(campaign=campaign)
    expected = [
        (record(campaign), campaign.pk, None),
        (record(enrolment), campaign.pk, candidate.pk),
        (record(enrolment.dossier), campaign.pk, candidate.pk),
        (record(enrolment.candidate), None, candidate.pk),
        (record(juror), campaign.pk, juror.user_id),
        (record(session), campaign.pk, None),
        (record(candidate), None, candidate.pk),
    ]
    for event, campaign_id, person_id in expected:
        event.refresh_from_db()
        assert (event.campaign_id, event.person_id) == (campaign_id, person_id), event.target_type


def test_explicit_campaign_and_person_override_the_derivation() -> None:
    enrolment = EnrolmentFactory()
    someone = UserFactory()
    event = record(enrolment.campaign, person=someone)
    assert (event.campaign_id, event.person_id) == (enrolment.campaign_id, someone.pk)
    event = record(enrolment, campaign=None, person=None)
    assert (event.campaign_id, event.person_id) == (None, None)


def test_a_role_grant_names_the_person_who_received_it() -> None:
    from certeval.campaigns.services import campaign_role_grant

    campaign = CampaignFactory()
    user = UserFactory()
    campaign_role_grant(campaign=campaign, user=user, role="juror", by=None)
    event = AuditEvent.objects.get(action="campaign.role_grant")
    assert (event.campaign_id, event.person_id) == (campaign.pk, user.pk)


def test_a_persons_rows_across_campaigns() -> None:
    first = EnrolmentFactory()
    person = first.candidate.user
    second = EnrolmentFactory(candidate=first.candidate)
    stranger = EnrolmentFactory()
    about = [record(first), record(second.dossier)]
    record(stranger)
    with transaction.atomic():
        made = audit_record(actor=person, action="dossier.submit", target=stranger.campaign)
    assert set(audit_events_about_person(person=person)) == set(about)
    assert list(audit_events_by_person(person=person)) == [made]
    assert set(audit_events_of_person(person=person)) == {*about, made}
    assert {e.campaign_id for e in about} == {first.campaign_id, second.campaign_id}


def test_rows_written_before_the_columns_are_backfilled() -> None:
    from importlib import import_module

    from django.apps import apps

    backfill = import_module("certeval.audit.migrations.0003_backfill_campaign_and_person").backfill
    enrolment = EnrolmentFactory()
    user = enrolment.candidate.user
    old = AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                action="enrolment.create", target_type="campaigns.enrolment", target_id=str(enrolment.pk)
            ),
            AuditEvent(
                action="dossier.submit", target_type="dossiers.dossier", target_id=str(enrolment.dossier.pk)
            ),
            AuditEvent(
                action="campaign.create",
                target_type="campaigns.campaign",
                target_id=str(enrolment.campaign_id),
            ),
            AuditEvent(action="account.create", target_type="accounts.user", target_id=str(user.pk)),
            AuditEvent(action="juries.juror_add", target_type="juries.juror", target_id="123456"),
        ]
    )
    backfill(apps, None)
    found = [
        (e.campaign_id, e.person_id)
        for e in AuditEvent.objects.filter(pk__in=[e.pk for e in old]).order_by("pk")
    ]
    campaign = enrolment.campaign_id
    assert found == [
        (campaign, user.pk),
        (campaign, user.pk),
        (campaign, None),
        (None, user.pk),
        (None, None),
    ]
