"""The audit log pages speak French: objects by name (the candidate, the campaign), data as
label/value pairs, codes by their labels; never raw JSON or « Inscription n° 4 »."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from certeval.audit.details import describe
from certeval.audit.models import AuditEvent
from certeval.audit.services import audit_record
from certeval.campaigns.enrolments import enrolment_assign_session
from certeval.campaigns.models import Campaign
from certeval.campaigns.services import campaign_transition
from certeval.campaigns.tests.factories import (
    EnrolmentFactory,
    SessionFactory,
    UserFactory,
    organiser_of,
    pdf_bytes,
)
from certeval.dossiers.services import dossier_file_upload

pytestmark = pytest.mark.django_db


def page_text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_campaign_log_names_objects_and_shows_data_as_french_pairs() -> None:
    enrolment = EnrolmentFactory(candidate__birth_name="Durand", candidate__first_names="Camille")
    campaign = enrolment.campaign
    organiser = organiser_of(campaign)
    data = pdf_bytes(2)
    dossier_file_upload(
        enrolment=enrolment,
        by=enrolment.candidate.user,
        fileobj=io.BytesIO(data),
        original_name="synthese-bloc-1.pdf",
        size=len(data),
        kind="document",
        title="Synthèse",
    )
    session = SessionFactory(campaign=campaign, label="Session de décembre")
    enrolment_assign_session(enrolment=enrolment, session=session, by=organiser)
    Campaign.objects.filter(pk=campaign.pk).update(deposit_deadline=timezone.now() - timedelta(minutes=1))
    campaign_transition(campaign=campaign, to_state="deposit_closed", by=organiser)

    client = Client()
    client.force_login(organiser)
    html = page_text(client, f"/campagnes/{campaign.pk}/journal/")
    assert "Inscription de DURAND Camille" in html
    assert "Dossier de DURAND Camille" in html
    assert f"Campagne « {campaign.title} »" in html
    assert "<dt>Fichier</dt><dd>synthese-bloc-1.pdf</dd>" in html
    assert "<dt>Session</dt><dd>Session de décembre</dd>" in html
    assert "<dt>Avant</dt><dd>Ouverte (dépôt en cours)</dd><dt>Après</dt><dd>Dépôt clos</dd>" in html
    assert "<dt>Fichiers</dt><dd>synthese-bloc-1.pdf (" in html
    assert f"n° {enrolment.pk}<" not in html and f"n° {enrolment.dossier.pk}<" not in html
    journal = html.split("<main", 1)[1]  # the head carries htmx's configuration, in JSON
    assert '{"' not in journal and "&quot;" not in journal  # no raw JSON
    assert ">open<" not in html and ">deposit_closed<" not in html  # no state codes


def test_details_of_a_vanished_object_and_of_unknown_keys_are_still_shown() -> None:
    enrolment = EnrolmentFactory()
    person = UserFactory(first_name="Léa", last_name="Martin")
    with transaction.atomic():
        audit_record(
            actor=None,
            action="campaign.role_grant",
            target=enrolment.campaign,
            data={"user": person.pk, "role": "juror", "declared": True, "session": 999999, "extra": None},
        )
    [view] = describe(AuditEvent.objects.all())
    details = dict(view.details)
    assert details["Personne"] == "Léa Martin"
    assert details["Rôle"] == "Juré"
    assert details["Déclaré sur l'honneur"] == "oui"
    assert details["Session"] == "Session n° 999999 (n'existe plus)"
    assert details["extra"] == "—"


def test_codes_half_days_and_source_file_names_are_shown_in_french() -> None:
    from certeval.juries.tests.factories import JurorFactory

    enrolment = EnrolmentFactory()
    juror = JurorFactory(campaign=enrolment.campaign, role="pair")
    with transaction.atomic():
        audit_record(
            actor=None,
            action="juries.juror_add",
            target=juror,
            data={"role": "pair", "halfdays": ["2026-12-14-am", "2026-12-14-pm"]},
        )
        audit_record(
            actor=None,
            action="juries.decision",
            target=enrolment,
            message="Décision finale (004_c07952bd9563431b.txt, §6.3.1)",
            data={"deliberation": 1, "final_level": "confirme", "outcome": "certified", "verdicts": {}},
        )
        audit_record(actor=None, action="juries.compose", target=enrolment.campaign, message="optimal")
    views = {view.event.action: view for view in describe(AuditEvent.objects.all())}
    add = dict(views["juries.juror_add"].details)
    assert add["Demi-journées"] == "14/12/2026 matin, 14/12/2026 après-midi"
    assert add["Rôle"] != "pair"
    decision = views["juries.decision"]
    assert "004_" not in decision.message and "rapport du jury Pix+ Édu" in decision.message
    assert dict(decision.details) == {"Niveau final": "Confirmé", "Décision": "Certifié", "Verdicts": "—"}
    assert views["juries.compose"].message == "solution optimale"


def test_the_log_filters_by_the_person_concerned() -> None:
    first = EnrolmentFactory()
    second = EnrolmentFactory(campaign=first.campaign)
    with transaction.atomic():
        for enrolment in (first, second):
            audit_record(actor=None, action="enrolment.create", target=enrolment)
    client = Client()
    client.force_login(organiser_of(first.campaign))
    url = f"/campagnes/{first.campaign.pk}/journal/"
    html = page_text(client, url + f"?person={first.candidate.user.email.upper()}")
    assert "1 événement" in html and first.candidate.display_name in html
    assert second.candidate.display_name not in html
