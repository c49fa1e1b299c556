"""New candidates and jurors choose their password from the link of the e-mail they receive: the
link works once, expires, and a new one can be asked for; Django's password rules apply, in French."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client

from certeval.accounts.models import User
from certeval.campaigns.notifications import candidate_email
from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory, UserFactory, organiser_of

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/comptes/mot-de-passe/[^/\s]+/[^/\s]+/)")
GOOD = "un-mot-de-passe-solide"
EXPIRED = "Ce lien n'est plus valable : il a déjà servi ou a expiré."


def new_candidate() -> User:
    enrolment = EnrolmentFactory()
    user: User = enrolment.candidate.user
    user.set_unusable_password()
    user.save()
    candidate_email("enrolment", enrolment.pk).send()
    return user


def link_in(body: str) -> str:
    found = LINK.search(body)
    assert found, body
    return found.group(1)


def choose(client: Client, link: str, password: str, confirm: str | None = None) -> str:
    """Follow the link (it redirects to the form) and post a password; the final page's HTML."""
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    posted = client.post(
        form_url, {"new_password1": password, "new_password2": confirm or password}, follow=True
    )
    assert posted.status_code == 200
    return str(posted.content.decode())


def test_the_enrolment_email_link_sets_the_password_once_then_signs_in(client: Client) -> None:
    user = new_candidate()
    [message] = mail.outbox
    link = link_in(message.body)

    weak = choose(client, link, "court")
    assert "Ce mot de passe est trop court" in weak  # Django's validators, in French
    user.refresh_from_db()
    assert not user.has_usable_password()

    done = choose(client, link, GOOD)
    assert "Votre mot de passe est enregistré" in done
    user.refresh_from_db()
    assert user.check_password(GOOD)
    assert client.session.get("_auth_user_id") == str(user.pk)

    stranger = Client()
    again = stranger.get(link, follow=True).content.decode()
    assert EXPIRED in again and "Recevoir un nouveau lien" in again
    assert stranger.post(link, {"new_password1": "x" * 12, "new_password2": "x" * 12}).status_code == 200
    user.refresh_from_db()
    assert user.check_password(GOOD)
    signed_in = Client().post("/comptes/connexion/", {"username": user.email, "password": GOOD})
    assert signed_in.status_code == 302  # through the sign-in form (the lockout backend needs a request)


def test_an_expired_link_is_refused_in_french(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    user = new_candidate()
    link = link_in(mail.outbox[0].body)
    later = default_token_generator._now() + timedelta(days=30)  # type: ignore[attr-defined]
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    page = client.get(link, follow=True).content.decode()
    assert EXPIRED in page
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_juror_invited_by_email_chooses_a_password_from_the_link(  # type: ignore[no-untyped-def]
    client: Client, django_capture_on_commit_callbacks
) -> None:
    campaign = CampaignFactory()
    organiser = Client()
    organiser.force_login(organiser_of(campaign))
    with django_capture_on_commit_callbacks(execute=True):
        organiser.post(
            f"/campagnes/{campaign.pk}/roles/", {"email": "jure.neuve@example.fr", "role": "juror"}
        )
    [message] = mail.outbox
    choose(client, link_in(message.body), GOOD)
    assert User.objects.get(email="jure.neuve@example.fr").check_password(GOOD)


def test_a_new_link_can_be_asked_for_when_the_first_one_expired(client: Client) -> None:
    user = new_candidate()
    mail.outbox.clear()
    login_page = client.get("/comptes/connexion/").content.decode()
    assert "/comptes/mot-de-passe/nouveau-lien/" in login_page

    sent = client.post("/comptes/mot-de-passe/nouveau-lien/", {"email": user.email.upper()}, follow=True)
    assert "Si un compte existe pour cette adresse" in sent.content.decode()
    [message] = mail.outbox
    assert message.to == [user.email] and "mot de passe" in message.subject
    choose(client, link_in(message.body), GOOD)
    user.refresh_from_db()
    assert user.check_password(GOOD)


def test_asking_for_a_link_says_nothing_about_unknown_or_inactive_addresses(client: Client) -> None:
    inactive = UserFactory(is_active=False)
    for email in ("personne@example.fr", inactive.email):
        answer = client.post("/comptes/mot-de-passe/nouveau-lien/", {"email": email}, follow=True)
        assert "Si un compte existe pour cette adresse" in answer.content.decode()
    assert mail.outbox == []
    bad = client.post("/comptes/mot-de-passe/nouveau-lien/", {"email": "pas-une-adresse"})
    assert bad.status_code == 200 and "Saisissez une adresse" in bad.content.decode()


def test_a_deadline_reminder_brings_a_fresh_link_to_a_candidate_without_a_password(client: Client) -> None:
    user = new_candidate()
    enrolment = user.candidate.enrolments.get()
    mail.outbox.clear()
    candidate_email("deadline_reminder", enrolment.pk).send()
    choose(client, link_in(mail.outbox[0].body), GOOD)
    user.refresh_from_db()
    assert user.check_password(GOOD)
    candidate_email("deadline_reminder", enrolment.pk).send()
    assert "/comptes/mot-de-passe/" not in mail.outbox[-1].body  # a password is set: no link any more
