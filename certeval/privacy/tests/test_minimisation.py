"""Minimisation (docs/privacy.md, « Minimisation »): every page, file and API answer a juror, a jury
president, an INSPÉ teacher or an invigilator reaches shows the candidate's name and the
accommodations as adjustments to apply — never the birth date, the birth place, the birth name when
a usual name exists, nor the free text of other needs. Organisers keep the identity."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from certeval.campaigns.models import CampaignRole, Enrolment
from certeval.campaigns.tests.factories import SessionFactory, UserFactory
from certeval.juries.tests.inspe_factories import inspe_world
from certeval.privacy.tests.privacy_fixtures import (
    BIRTH_DATE,
    BIRTH_PLACE,
    FORMATS,
    HEALTH,
    USUAL_NAME,
    assert_minimised,
    privacy_world,
    sensitive,
    signed_in,
    text,
)
from certeval.testing.tests.sitting_factories import proctored_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh() -> None:
    cache.clear()


def test_juror_pages_and_api_show_the_name_and_adjustments_only() -> None:
    world = privacy_world(published=False)
    client = signed_in(world.juror)
    e, slot = world.enrolment, world.slot
    page = text(client.get(f"/campagnes/candidats/{e.pk}/"))
    assert USUAL_NAME in page and "Temps majoré de 33 %" in page and FORMATS in page
    assert_minimised(page)
    for url in (
        f"/jurys/oral/{slot.pk}/evaluer/",
        f"/jurys/{slot.jury_id}/",
        "/jurys/",
        "/campagnes/dossiers-a-lire/",
        f"/mes-certifications/{e.pk}/recepisse/",
        f"/api/v1/juries/{slot.jury_id}",
        f"/api/v1/juries/orals/{slot.pk}/score",
        f"/api/v1/dossiers/{e.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert_minimised(text(response))


def test_the_receipt_pdf_stating_the_birth_date_is_not_for_the_jury() -> None:
    world = privacy_world(published=False)
    juror = signed_in(world.juror)
    assert juror.get(f"/mes-certifications/{world.enrolment.pk}/recepisse.pdf").status_code == 404
    assert juror.get(f"/api/v1/dossiers/{world.enrolment.pk}/receipt").status_code == 404
    assert "recepisse.pdf" not in text(juror.get(f"/mes-certifications/{world.enrolment.pk}/recepisse/"))
    owner = signed_in(world.candidate)
    assert owner.get(f"/mes-certifications/{world.enrolment.pk}/recepisse.pdf").status_code == 200


def test_president_pages_and_results_file_leave_birth_data_out() -> None:
    world = privacy_world()
    client = signed_in(world.jc.president)
    campaign = world.jc.campaign.pk
    for url in (
        f"/jurys/oral/{world.slot.pk}/harmoniser/",
        f"/jurys/{world.slot.jury_id}/",
        f"/jurys/{world.slot.jury_id}/harmonisation/",
        f"/resultats/campagnes/{campaign}/fichiers/",
        f"/api/v1/juries/orals/{world.slot.pk}/decision",
        f"/api/v1/results/campaigns/{campaign}/results",
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert_minimised(text(response))
    csv = text(client.get(f"/resultats/campagnes/{campaign}/resultats.csv"))
    assert USUAL_NAME in csv
    assert_minimised(csv)


def test_organisers_keep_the_identity_their_scope_needs() -> None:
    world = privacy_world()
    client = signed_in(world.jc.organiser)
    page = text(client.get(f"/campagnes/candidats/{world.enrolment.pk}/"))
    for shown in (BIRTH_DATE, BIRTH_PLACE, HEALTH):
        assert shown in page
    csv = text(client.get(f"/resultats/campagnes/{world.jc.campaign.pk}/resultats.csv"))
    assert BIRTH_DATE in csv and BIRTH_PLACE in csv


def test_invigilators_see_what_the_identity_check_needs_not_the_birth_place_nor_needs() -> None:
    world = privacy_world(published=False)
    session = SessionFactory(campaign=world.jc.campaign)
    Enrolment.objects.filter(pk=world.enrolment.pk).update(session=session)
    invigilator = UserFactory()
    CampaignRole.objects.create(
        campaign=world.jc.campaign, user=invigilator, role="invigilator", session=session
    )
    page = text(signed_in(invigilator).get(f"/campagnes/candidats/{world.enrolment.pk}/"))
    assert BIRTH_DATE in page and "Temps majoré de 33 %" in page
    assert BIRTH_PLACE not in page and HEALTH not in page


def test_the_console_shows_names_and_adjustments_only() -> None:
    ps = proctored_session(1)
    sensitive(ps.enrolments[0])
    invigilator = UserFactory()
    CampaignRole.objects.create(
        campaign=ps.session.campaign, user=invigilator, role="invigilator", session=ps.session
    )
    client = signed_in(invigilator)
    for url in (
        f"/surveillance/{ps.delivery.pk}/",
        f"/surveillance/{ps.delivery.pk}/direct/",
        "/surveillance/",
    ):
        page = text(client.get(url))
        assert_minimised(page)
    assert "Temps majoré de 33 %" in text(client.get(f"/surveillance/{ps.delivery.pk}/"))


def test_the_inspe_teacher_sees_no_birth_data_nor_free_text_needs() -> None:
    world = inspe_world()
    sensitive(world.student)
    client = signed_in(world.teacher)
    for url in (f"/jurys/etudiant/{world.student.pk}/evaluation/", "/jurys/mes-etudiants/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_minimised(text(response))
