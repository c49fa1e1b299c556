"""The consultation log (docs/privacy.md, « Consultation log »): each staff page that shows a
candidate's file records who opened it, when and which page, once per person × candidate × page ×
window; the candidate's own visits record nothing; the candidate reads the rows in their export."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache

from certeval.audit.consult_services import consultation_record, window_start
from certeval.audit.models import Consultation
from certeval.campaigns.models import CampaignRole
from certeval.campaigns.tests.factories import UserFactory
from certeval.juries.tests.inspe_factories import inspe_world
from certeval.privacy.tests.privacy_fixtures import privacy_world, signed_in, stored_file
from certeval.testing.models import Sitting
from certeval.testing.tests.sitting_factories import proctored_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh() -> None:
    cache.clear()


def pages_of(person_id: int) -> list[tuple[str, str]]:
    return sorted(Consultation.objects.filter(person_id=person_id).values_list("staff_name", "page"))


def test_staff_pages_record_who_opened_the_file_once_per_window() -> None:
    world = privacy_world(published=False)
    person = world.candidate
    organiser, juror, president = world.jc.organiser, world.juror, world.jc.president
    signed_in(organiser).get(f"/campagnes/candidats/{world.enrolment.pk}/")
    signed_in(organiser).get(f"/campagnes/candidats/{world.enrolment.pk}/")
    juror_client = signed_in(juror)
    assert juror_client.get(f"/campagnes/candidats/{world.enrolment.pk}/").status_code == 200
    assert juror_client.get(f"/jurys/oral/{world.slot.pk}/evaluer/").status_code == 200
    stored = stored_file(world.enrolment)
    assert juror_client.get(f"/dossiers/fichiers/{stored.pk}/").status_code == 200
    assert juror_client.get(f"/api/v1/dossiers/files/{stored.pk}/content").status_code == 200
    assert signed_in(president).get(f"/jurys/oral/{world.slot.pk}/harmoniser/").status_code in (200, 302)
    # The candidate's own visits are not consultations.
    signed_in(person).get(f"/campagnes/candidats/{world.enrolment.pk}/")
    juror_name = juror.get_full_name()
    assert pages_of(person.pk) == sorted(
        [
            (organiser.get_full_name(), "enrolment"),
            (juror_name, "dossier_reading"),
            (juror_name, "scoring"),
            (juror_name, "dossier_file"),
            (president.get_full_name(), "president"),
        ]
    )
    row = Consultation.objects.get(person=person, page="scoring")
    assert row.staff == juror and row.campaign == world.jc.campaign
    assert row.target_type == "campaigns.enrolment" and row.target_id == str(world.enrolment.pk)
    # Nothing about the other candidate.
    assert not Consultation.objects.filter(person=world.other.candidate.user).exists()


def test_the_window_is_a_setting_and_aligned_on_the_clock(settings: object) -> None:
    world = privacy_world(published=False)
    staff, person = world.jc.organiser, world.candidate.pk
    at = datetime(2026, 5, 4, 10, 5, tzinfo=UTC)
    assert window_start(at) == datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    assert consultation_record(staff=staff, person_id=person, page="enrolment", at=at) is not None
    assert (
        consultation_record(staff=staff, person_id=person, page="enrolment", at=at + timedelta(minutes=50))
        is None
    )
    assert (
        consultation_record(staff=staff, person_id=person, page="enrolment", at=at + timedelta(minutes=56))
        is not None
    )
    settings.CERTEVAL_CONSULTATION_WINDOW_MINUTES = 24 * 60  # type: ignore[attr-defined]
    later = at + timedelta(days=1)
    assert consultation_record(staff=staff, person_id=person, page="enrolment", at=later) is not None
    assert (
        consultation_record(staff=staff, person_id=person, page="enrolment", at=later + timedelta(hours=5))
        is None
    )
    # The person themself, an anonymous reader: nothing.
    assert consultation_record(staff=world.candidate, person_id=person, page="enrolment") is None
    with pytest.raises(ValueError):
        consultation_record(staff=staff, person_id=person, page="nowhere")


def test_console_and_inspe_teacher_views_are_logged() -> None:
    ps = proctored_session(1)
    invigilator = UserFactory(first_name="Camille", last_name="Surveillante")
    CampaignRole.objects.create(
        campaign=ps.session.campaign, user=invigilator, role="invigilator", session=ps.session
    )
    sitting = Sitting.objects.get(session=ps.delivery, enrolment=ps.enrolments[0])
    client = signed_in(invigilator)
    assert client.get(f"/surveillance/{ps.delivery.pk}/candidats/{sitting.pk}/messages/").status_code == 200
    person = ps.enrolments[0].candidate.user_id
    assert pages_of(person) == [("Camille Surveillante", "console_candidate")]
    # A room computer opened with the session's password: the typed name is recorded.
    consultation_record(staff=None, staff_name="M. Dupont", person_id=person, page="identity_check")
    assert Consultation.objects.get(person_id=person, page="identity_check").staff_key == "name:M. Dupont"

    world = inspe_world()
    assert signed_in(world.teacher).get(f"/jurys/etudiant/{world.student.pk}/evaluation/").status_code == 200
    assert pages_of(world.student.candidate.user_id) == [
        (world.teacher.get_full_name(), "teacher_evaluation")
    ]


def test_the_candidate_reads_the_consultations_in_their_export() -> None:
    world = privacy_world(published=False)
    signed_in(world.juror).get(f"/jurys/oral/{world.slot.pk}/evaluer/")
    export = json.loads(
        signed_in(world.candidate).get("/donnees-personnelles/mes-donnees/export.json").content
    )
    rows = export["consultations"]
    assert [(r["by"], r["page"]) for r in rows] == [
        (world.juror.get_full_name(), "Grille d'évaluation d'un juré")
    ]
    assert rows[0]["campaign"] == world.jc.campaign.title
    page = signed_in(world.candidate).get("/donnees-personnelles/mes-donnees/").content.decode()
    assert world.juror.get_full_name() in page and "Grille d&#x27;évaluation d&#x27;un juré" in page
