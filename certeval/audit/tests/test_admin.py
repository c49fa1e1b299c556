"""The admin cannot bypass the write path: audited records are read-only there (a POST changes
nothing), and account edits, which the admin still allows, write an audit row."""

from __future__ import annotations

import pytest
from django.test import Client

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import CampaignRole
from certeval.campaigns.tests.factories import EnrolmentFactory, SessionFactory, UserFactory, organiser_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> Client:
    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_admin_posts_on_audited_records_change_nothing(admin: Client) -> None:
    enrolment = EnrolmentFactory(school_level="second")
    campaign = enrolment.campaign
    session = SessionFactory(campaign=campaign, label="Avant")
    organiser_of(campaign)
    grant = CampaignRole.objects.get(campaign=campaign)
    title = campaign.title

    assert admin.get(f"/admin/campaigns/enrolment/{enrolment.pk}/change/").status_code == 200
    posts = {
        f"/admin/campaigns/enrolment/{enrolment.pk}/change/": {
            "school_level": "premier",
            "training": "initiale",
        },
        f"/admin/campaigns/campaign/{campaign.pk}/change/": {"title": "Changé"},
        f"/admin/campaigns/session/{session.pk}/change/": {"label": "Après"},
        f"/admin/campaigns/candidate/{enrolment.candidate.pk}/change/": {"birth_name": "Autre"},
        f"/admin/campaigns/campaignrole/{grant.pk}/change/": {"role": "juror"},
        f"/admin/campaigns/enrolment/{enrolment.pk}/delete/": {"post": "yes"},
        "/admin/campaigns/session/add/": {"label": "Nouvelle", "campaign": campaign.pk},
    }
    for url, data in posts.items():
        assert admin.post(url, data).status_code == 403, url

    enrolment.refresh_from_db()
    campaign.refresh_from_db()
    session.refresh_from_db()
    grant.refresh_from_db()
    assert (enrolment.school_level, campaign.title, session.label, grant.role) == (
        "second",
        title,
        "Avant",
        "organiser",
    )
    assert enrolment.candidate.birth_name != "Autre"


def test_an_account_edit_in_the_admin_is_audited(admin: Client) -> None:
    user = UserFactory(first_name="Léa", last_name="Martin")
    response = admin.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "email": user.email,
            "first_name": "Léa",
            "last_name": "Martin-Durand",
            "is_active": "on",
            "date_joined_0": "2026-01-05",
            "date_joined_1": "10:00:00",
            "last_login_0": "",
            "last_login_1": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.last_name == "Martin-Durand"
    event = AuditEvent.objects.get(action="admin.change")
    assert event.person_id == user.pk and event.target_type == "accounts.user"
    assert "last_name" in event.data["fields"] and "password" not in event.data["fields"]


def test_a_password_set_in_the_admin_is_audited_without_its_value(admin: Client) -> None:
    user = UserFactory()
    response = admin.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {
            "password1": "un-autre-mot-de-passe",
            "password2": "un-autre-mot-de-passe",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.check_password("un-autre-mot-de-passe")
    event = AuditEvent.objects.get(action="admin.change")
    assert event.person_id == user.pk and event.data == {"fields": ["password"]}


def test_deleting_selected_accounts_in_the_admin_is_audited(admin: Client) -> None:
    doomed = UserFactory()
    response = admin.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [doomed.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not type(doomed).objects.filter(pk=doomed.pk).exists()
    event = AuditEvent.objects.get(action="admin.delete")
    assert event.target_id == str(doomed.pk) and event.person_id is None
    assert event.data == {"object": str(doomed)}
