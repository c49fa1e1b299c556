"""Absolute links that e-mails carry: the site's address, and a new account's link to choose its
password (the same link Django's password reset uses: it works once, until the password is set)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from certeval.accounts.models import User


def site_url(path: str) -> str:
    return str(settings.CERTEVAL_SITE_URL).rstrip("/") + path


def password_set_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site_url(reverse("accounts:password_set", args=[uid, token]))
