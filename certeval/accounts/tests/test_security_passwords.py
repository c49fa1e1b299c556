"""Passwords: Argon2 in the main settings (older hashes upgraded at sign-in), at least 12 characters
and not close to the person's name or e-mail, in French, wherever a password is set; change by a
signed-in person (audited, notified, session kept); recovery by e-mail audited and silent about
unknown addresses (docs/security-accounts.md)."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from certeval.accounts.models import User
from certeval.audit.models import AuditEvent
from certeval.campaigns.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CHANGE = "/comptes/mot-de-passe/changer/"
NEW = "une-phrase-de-passe-longue"
main_settings = importlib.import_module("certeval.settings")


def refusals(password: str, user: User) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [message.replace("\xa0", " ") for message in error.messages]
    return []


def test_the_main_settings_hash_with_argon2_and_keep_the_others_for_upgrade() -> None:
    hashers = main_settings.PASSWORD_HASHERS
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers[1:]
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]  # tests stay fast
    assert main_settings.PASSWORD_RESET_TIMEOUT == 3 * 24 * 3600


def test_an_older_hash_is_upgraded_to_argon2_at_sign_in() -> None:
    with override_settings(PASSWORD_HASHERS=main_settings.PASSWORD_HASHERS):
        user = UserFactory()
        user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        user.save()
        client = Client()
        assert (
            client.post("/comptes/connexion/", {"username": user.email, "password": PASSWORD}).status_code
            == 302
        )
        user.refresh_from_db()
        assert user.password.startswith("argon2$argon2id$")


def test_the_rules_in_french() -> None:
    user = User(email="camille.durand@exemple.fr", first_name="Bernadette", last_name="Vasseur-Lambert")
    assert refusals("court-11car", user) == [
        "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères."
    ]
    assert refusals("Bernadette2024", user) == ["Le mot de passe est trop semblable au champ « prénom »."]
    assert refusals("vasseurlambert", user) == ["Le mot de passe est trop semblable au champ « nom »."]
    assert refusals("durand.camille", user) == [
        "Le mot de passe est trop semblable au champ « adresse électronique »."
    ]
    assert refusals("123456789012345", user) == ["Ce mot de passe est entièrement numérique."]
    assert refusals("motdepasse123", user) == []  # 13 characters, none of the above
    assert refusals("azertyuiop", user)[0].startswith("Ce mot de passe est trop court")
    assert refusals("demo-certeval", user) == []  # the demo's shared password is long enough


def test_a_signed_in_person_changes_their_password(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(first_name="Bernadette", last_name="Vasseur")
    client = Client()
    client.force_login(user)
    assert CHANGE in client.get("/comptes/").content.decode()  # « Mon compte » links to it
    form = client.get(CHANGE)
    assert form.status_code == 200 and "Mot de passe actuel" in form.content.decode()

    wrong = client.post(CHANGE, {"old_password": "pas-le-bon", "new_password1": NEW, "new_password2": NEW})
    assert "Votre ancien mot de passe est incorrect" in wrong.content.decode()
    assert AuditEvent.objects.filter(action="account.reauth_failed", actor=user).exists()

    similar = client.post(
        CHANGE,
        {"old_password": PASSWORD, "new_password1": "Bernadette2026", "new_password2": "Bernadette2026"},
    )
    assert "trop semblable au champ" in similar.content.decode()
    short = client.post(
        CHANGE, {"old_password": PASSWORD, "new_password1": "court", "new_password2": "court"}
    )
    assert "trop court" in short.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    after = client.get(CHANGE)
    assert after.status_code == 200  # still signed in
    assert "Votre mot de passe a été changé" in after.content.decode()
    [notice] = mail.outbox
    assert notice.to == [user.email] and "mot de passe a été changé" in notice.subject
    assert "/comptes/mot-de-passe/nouveau-lien/" in notice.body
    assert AuditEvent.objects.filter(action="account.password_change", actor=user, person=user).count() == 1


def test_the_password_change_page_needs_a_sign_in() -> None:
    answer = Client().get(CHANGE)
    assert answer.status_code == 302 and "/comptes/connexion/" in answer["Location"]


def test_recovery_is_audited_and_says_the_same_for_any_address(  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,
) -> None:
    user = UserFactory()
    answers = []
    for email in (user.email, "personne@example.fr"):
        answer = Client().post("/comptes/mot-de-passe/nouveau-lien/", {"email": email}, follow=True)
        answers.append(answer.content.decode().split("<main", 1)[-1])
    assert answers[0] == answers[1] and "Si un compte existe pour cette adresse" in answers[0]
    rows = AuditEvent.objects.filter(action="account.password_link_request").order_by("pk")
    assert [(row.person, row.data["email"]) for row in rows] == [
        (user, user.email),
        (None, "personne@example.fr"),
    ]
    assert len(mail.outbox) == 1


def test_a_recovered_password_is_audited_and_notified(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    import re

    user = UserFactory()
    client = Client()
    client.post("/comptes/mot-de-passe/nouveau-lien/", {"email": user.email})
    link = re.search(r"(/comptes/mot-de-passe/[^/\s]+/[^/\s]+/)", mail.outbox[0].body)
    assert link
    form_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW) and client.session.get("_auth_user_id") == str(user.pk)
    assert AuditEvent.objects.filter(action="account.password_reset", person=user).count() == 1
    assert "mot de passe a été changé" in mail.outbox[-1].subject
