"""Organisers fix data (issue 9, defect 9): edit a campaign, edit an enrolment, place ticked
candidates in a session; the academies are the French list, shown by name."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from certeval.accounts.models import User
from certeval.audit.models import AuditEvent
from certeval.campaigns.academies import read_academies
from certeval.campaigns.corrections import campaign_update
from certeval.campaigns.models import Academy, Campaign, CampaignState, ReviewerAssignment
from certeval.campaigns.services import CampaignError
from certeval.campaigns.tests.factories import (
    CampaignFactory,
    EnrolmentFactory,
    SessionFactory,
    UserFactory,
    organiser_of,
)

pytestmark = pytest.mark.django_db


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def academy(code: str) -> Academy:
    return Academy.objects.get(code=code)


# --- academies ----------------------------------------------------------------------------------


def test_the_thirty_french_academies_are_loaded_with_their_regions() -> None:
    from certeval.campaigns.academies import load_academies

    assert Academy.objects.count() == 30
    assert academy("la-reunion").name == "La Réunion" and academy("la-reunion").region == "La Réunion"
    assert academy("aix-marseille").region == "Provence-Alpes-Côte d'Azur"
    assert set(Academy.objects.filter(region="Île-de-France").values_list("name", flat=True)) == {
        "Créteil",
        "Paris",
        "Versailles",
    }
    assert len({a["region"] for a in read_academies()}) == 18
    assert load_academies(Academy) == 0  # idempotent: a second load changes nothing
    assert Academy.objects.count() == 30


def test_the_regroupement_form_offers_academies_by_name_and_saves_them() -> None:
    campaign = CampaignFactory()
    organiser = organiser_of(campaign)
    client = client_of(organiser)
    html = client.get(f"/campagnes/{campaign.pk}/regroupements/").content.decode()
    assert re.search(r'value="nancy-metz"[^>]*>\s*Nancy-Metz</label>', html)
    assert "<legend>Grand Est</legend>" in html  # grouped under the région académique
    response = client.post(
        "/campagnes/nouvelle/",
        {
            "title": "Campagne interacadémique",
            "framework_version": campaign.framework_version.pk,
            "deadline_date": (date.today() + timedelta(days=30)).isoformat(),
            "deadline_time": "23:59:59",
            "final_policy": "adjourn",
            "tie_rule": "lower",
            "oral_duration_minutes": "45",
            "prerequisite_policy": "warn",
            "reading_delay_days": "10",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = Campaign.objects.get(title="Campagne interacadémique")
    assert created.reading_delay_days == 10
    response = client.post(
        f"/campagnes/{created.pk}/regroupements/",
        {"name": "Grand Est", "academies": ["nancy-metz", "reims", "strasbourg"]},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    regroupement = created.regroupements.get()
    assert sorted(a.code for a in regroupement.academies.all()) == ["nancy-metz", "reims", "strasbourg"]


# --- campaign edit ------------------------------------------------------------------------------


def _campaign_post(campaign: Campaign, **changes: object) -> dict[str, object]:
    deadline = timezone.localtime(campaign.deposit_deadline)
    data: dict[str, object] = {
        "title": campaign.title,
        "deadline_date": deadline.date().isoformat(),
        "deadline_time": deadline.strftime("%H:%M:%S"),
        "final_policy": campaign.final_policy,
        "tie_rule": campaign.tie_rule,
        "oral_duration_minutes": str(campaign.oral_duration_minutes),
        "prerequisite_policy": campaign.prerequisite_policy,
        "reading_delay_days": str(campaign.reading_delay_days),
    }
    data.update(changes)
    return data


def test_an_organiser_edits_the_deadline_settings_and_reading_delay_of_a_campaign() -> None:
    campaign = CampaignFactory()
    organiser = organiser_of(campaign)
    client = client_of(organiser)
    detail = client.get(f"/campagnes/{campaign.pk}/").content.decode()
    assert f'href="/campagnes/{campaign.pk}/modifier/"' in detail
    form = client.get(f"/campagnes/{campaign.pk}/modifier/").content.decode()
    assert re.search(r'name="reading_delay_days" value="7"', form)
    new_day = (timezone.localdate() + timedelta(days=40)).isoformat()
    response = client.post(
        f"/campagnes/{campaign.pk}/modifier/",
        _campaign_post(
            campaign,
            deadline_date=new_day,
            deadline_time="12:00:00",
            final_policy="joint",
            tie_rule="higher",
            oral_duration_minutes="60",
            reading_delay_days="14",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign.refresh_from_db()
    assert campaign.final_policy == "joint" and campaign.tie_rule == "higher"
    assert campaign.oral_duration_minutes == 60
    assert timezone.localtime(campaign.deposit_deadline).date().isoformat() == new_day
    assert campaign.reading_delay_days == 14
    assert campaign.state == CampaignState.OPEN  # the state machine is not touched
    event = AuditEvent.objects.get(action="campaign.update")
    assert event.actor == organiser
    assert event.data["changes"]["final_policy"] == ["adjourn", "joint"]


def test_campaign_edit_is_refused_to_an_academy_scoped_organiser_and_checks_the_state() -> None:
    campaign = CampaignFactory()
    scoped = organiser_of(campaign, academy=academy("lyon"))
    assert client_of(scoped).get(f"/campagnes/{campaign.pk}/modifier/").status_code == 404
    organiser = organiser_of(campaign)
    with pytest.raises(CampaignError, match="organisateur de toute la campagne"):
        campaign_update(campaign=campaign, by=scoped, changes={"title": "Autre"})
    with pytest.raises(CampaignError, match="dans le futur"):
        campaign_update(
            campaign=campaign, by=organiser, changes={"deposit_deadline": timezone.now() - timedelta(hours=1)}
        )
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.JURIES)
    with pytest.raises(CampaignError, match="dépôt est clos"):
        campaign_update(
            campaign=campaign, by=organiser, changes={"deposit_deadline": timezone.now() + timedelta(days=3)}
        )
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.DELIBERATION)
    with pytest.raises(CampaignError, match="délibérations ont commencé"):
        campaign_update(campaign=campaign, by=organiser, changes={"final_policy": "joint"})
    response = client_of(organiser).post(
        f"/campagnes/{campaign.pk}/modifier/",
        _campaign_post(campaign, reading_delay_days="61"),
    )
    assert response.status_code == 200
    assert "inférieure ou égale à 60" in response.content.decode()
    assert not AuditEvent.objects.filter(action="campaign.update").exists()


# --- enrolment edit -----------------------------------------------------------------------------


def test_an_organiser_corrects_an_enrolment_and_its_candidate_identity(  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,
) -> None:
    enrolment = EnrolmentFactory(academy=academy("lyon"))
    session = SessionFactory(campaign=enrolment.campaign, label="Oraux de Lyon")
    organiser = organiser_of(enrolment.campaign)
    client = client_of(organiser)
    page = client.get(f"/campagnes/candidats/{enrolment.pk}/").content.decode()
    assert f'href="/campagnes/candidats/{enrolment.pk}/modifier/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/campagnes/candidats/{enrolment.pk}/modifier/",
            {
                "birth_name": "Durand-Lefèvre",
                "usual_name": "",
                "first_names": "Camille Anne",
                "birth_date": "1985-04-21",
                "birth_place": "Mâcon",
                "academy": academy("grenoble").pk,
                "status": "withdrawn",
                "status_reason": "Désistement par courriel",
                "extra_time_percent": "33",
                "accessible_formats": "Gros caractères",
                "other_needs": "",
                "session": session.pk,
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    enrolment.refresh_from_db()
    candidate = enrolment.candidate
    candidate.refresh_from_db()
    assert (candidate.birth_name, candidate.first_names, candidate.birth_date, candidate.birth_place) == (
        "Durand-Lefèvre",
        "Camille Anne",
        date(1985, 4, 21),
        "Mâcon",
    )
    assert enrolment.academy.code == "grenoble" and enrolment.status == "withdrawn"
    assert enrolment.extra_time_percent == 33 and enrolment.session == session
    event = AuditEvent.objects.get(action="enrolment.update")
    assert event.data["identity_fields"] == ["birth_date", "birth_name", "birth_place", "first_names"]
    assert "Durand-Lefèvre" not in str(event.data)  # the identity's values stay out of the log
    assert event.data["changes"]["academy"] == ["lyon", "grenoble"]
    assert [m.subject for m in mail.outbox] == ["Convocation : Oraux de Lyon"]
    shown = client.get(f"/campagnes/candidats/{enrolment.pk}/").content.decode()
    assert "Grenoble (Auvergne-Rhône-Alpes)" in shown


def _enrolment_post(enrolment, **changes: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    candidate = enrolment.candidate
    data: dict[str, object] = {
        "birth_name": candidate.birth_name,
        "usual_name": candidate.usual_name,
        "first_names": candidate.first_names,
        "birth_date": candidate.birth_date.isoformat(),
        "birth_place": candidate.birth_place,
        "academy": enrolment.academy_id,
        "status": enrolment.status,
        "status_reason": enrolment.status_reason,
        "extra_time_percent": str(enrolment.extra_time_percent),
        "accessible_formats": enrolment.accessible_formats,
        "other_needs": enrolment.other_needs,
        "session": "",
    }
    data.update(changes)
    return data


def test_enrolment_edit_keeps_scopes_shared_identities_and_juries() -> None:
    enrolment = EnrolmentFactory(academy=academy("lyon"))
    url = f"/campagnes/candidats/{enrolment.pk}/modifier/"
    scoped = client_of(organiser_of(enrolment.campaign, academy=academy("lyon")))
    # An organiser limited to Lyon cannot move the candidate to Grenoble (not among the choices).
    response = scoped.post(url, _enrolment_post(enrolment, academy=academy("grenoble").pk))
    assert response.status_code == 200 and "Sélectionnez un choix valide" in response.content.decode()
    # An elimination needs a reason.
    response = scoped.post(url, _enrolment_post(enrolment, status="eliminated"))
    assert "Une élimination demande un motif." in response.content.decode()
    # The identity is shared with an enrolment this organiser does not manage: only an administrator.
    EnrolmentFactory(candidate=enrolment.candidate, academy=academy("lyon"))
    response = scoped.post(url, _enrolment_post(enrolment, birth_name="Autre"))
    assert "Seul un administrateur peut corriger l&#x27;identité de ce candidat." in response.content.decode()
    # A candidate placed in a jury keeps their academy.
    organiser = client_of(organiser_of(enrolment.campaign))
    ReviewerAssignment.objects.create(enrolment=enrolment, user=UserFactory(), role="juror")
    response = organiser.post(url, _enrolment_post(enrolment, academy=academy("grenoble").pk))
    assert "placé dans un jury" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.academy.code == "lyon" and enrolment.candidate.birth_name != "Autre"
    assert not AuditEvent.objects.filter(action="enrolment.update").exists()
    # Another campaign's organiser does not reach the page.
    stranger = client_of(organiser_of(CampaignFactory()))
    assert stranger.get(url).status_code == 404


# --- bulk session assignment --------------------------------------------------------------------


def test_ticked_candidates_are_placed_in_a_session_together(  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,
) -> None:
    campaign = CampaignFactory()
    enrolments = [EnrolmentFactory(campaign=campaign) for _ in range(3)]
    session = SessionFactory(campaign=campaign, label="Oraux du matin", capacity=2)
    client = client_of(organiser_of(campaign))
    listing = client.get(f"/campagnes/{campaign.pk}/candidats/").content.decode()
    assert f'action="/campagnes/{campaign.pk}/candidats/session/"' in listing
    assert f'name="enrolments" value="{enrolments[0].pk}"' in listing
    url = f"/campagnes/{campaign.pk}/candidats/session/"
    # Three for two seats: nothing is placed.
    response = client.post(
        url, {"enrolments": [e.pk for e in enrolments], "session": session.pk}, follow=True
    )
    assert "n&#x27;a que 2 place(s) libre(s) pour 3 candidat(s)" in response.content.decode()
    assert not campaign.enrolments.filter(session=session).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"enrolments": [enrolments[0].pk, enrolments[1].pk], "session": session.pk}
        )
    assert response.status_code == 302
    assert set(campaign.enrolments.filter(session=session)) == {enrolments[0], enrolments[1]}
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(action="enrolment.assign_session").count() == 2
    # Nothing ticked.
    response = client.post(url, {"session": session.pk}, follow=True)
    assert "Choisissez au moins un candidat." in response.content.decode()


def test_bulk_assignment_only_moves_candidates_the_organiser_manages() -> None:
    campaign = CampaignFactory()
    mine = EnrolmentFactory(campaign=campaign, academy=academy("lyon"))
    other = EnrolmentFactory(campaign=campaign, academy=academy("nice"))
    session = SessionFactory(campaign=campaign)
    client = client_of(organiser_of(campaign, academy=academy("lyon")))
    response = client.post(
        f"/campagnes/{campaign.pk}/candidats/session/",
        {"enrolments": [mine.pk, other.pk], "session": session.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert not campaign.enrolments.filter(session=session).exists()
    foreign = SessionFactory()
    response = client.post(
        f"/campagnes/{campaign.pk}/candidats/session/", {"enrolments": [mine.pk], "session": foreign.pk}
    )
    mine.refresh_from_db()
    assert mine.session is None


def test_who_reaches_the_correction_pages() -> None:
    enrolment = EnrolmentFactory(academy=academy("lyon"))
    campaign = enrolment.campaign
    session = SessionFactory(campaign=campaign)
    users = {
        "candidate": enrolment.candidate.user,
        "juror": UserFactory(),
        "other_organiser": organiser_of(CampaignFactory()),
        "nice_organiser": organiser_of(campaign, academy=academy("nice")),
        "lyon_organiser": organiser_of(campaign, academy=academy("lyon")),
        "organiser": organiser_of(campaign),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    ReviewerAssignment.objects.create(enrolment=enrolment, user=users["juror"], role="juror")
    allowed = {
        f"/campagnes/{campaign.pk}/modifier/": {"organiser", "administrator"},
        f"/campagnes/candidats/{enrolment.pk}/modifier/": {"lyon_organiser", "organiser", "administrator"},
    }
    for url, roles in allowed.items():
        assert Client().get(url).status_code == 302  # anonymous: sign in
        for role, user in users.items():
            assert client_of(user).get(url).status_code == (200 if role in roles else 404), (url, role)
    bulk = f"/campagnes/{campaign.pk}/candidats/session/"
    for role, user in users.items():
        response = client_of(user).post(bulk, {"enrolments": [enrolment.pk], "session": session.pk})
        expected = 302 if role in {"lyon_organiser", "organiser", "administrator", "nice_organiser"} else 404
        assert response.status_code == expected, role
    # The organiser limited to Nice reaches the campaign's list but cannot move a Lyon candidate.
    enrolment.refresh_from_db()
    assert enrolment.session == session
    assert AuditEvent.objects.filter(action="enrolment.assign_session").count() == 1
