"""Demo accounts of the accounts context: the administrator and the two item writers (their
writer role on the Pix+ Édu item bank is granted by ``certeval/testing/demo.py``), and the shared
second factor of every demo staff account (``notes``, run once all the contexts seeded theirs)."""

from __future__ import annotations

from base64 import b32encode
from typing import TextIO
from urllib.parse import quote

from certeval.accounts.models import User
from certeval.accounts.staff import is_staff_person
from certeval.core.demo import DEMO_PASSWORD, DemoAccount

ITEM_WRITERS = (
    ("redactrice@demo.certeval.fr", "Rose", "Rédactrice", "rédactrice de questions"),
    ("relecteur@demo.certeval.fr", "Rémi", "Relecteur", "relecteur de questions"),
)


def populate(stdout: TextIO) -> list[DemoAccount]:
    email = "admin@demo.certeval.fr"
    if not User.objects.filter(email=email).exists():
        User.objects.create_superuser(email, DEMO_PASSWORD, first_name="Alix", last_name="Administratrice")
    accounts = [DemoAccount("administrateur", email)]
    for writer_email, first_name, last_name, role in ITEM_WRITERS:
        if not User.objects.filter(email=writer_email).exists():
            User.objects.create_user(writer_email, DEMO_PASSWORD, first_name=first_name, last_name=last_name)
        accounts.append(DemoAccount(role, writer_email))
    return accounts


# One authenticator entry for every demo staff account (docs/security-2fa.md): the demo's staff
# accounts each have an authenticator-app device with this same published secret.
DEMO_TOTP_KEY = b"certeval-demo-2fa!!!"  # 20 bytes, as authenticator apps expect
DEMO_TOTP_DEVICE_NAME = "Application de démonstration"


def demo_totp_secret() -> str:
    return b32encode(DEMO_TOTP_KEY).decode()


def demo_totp_uri() -> str:
    label = quote("Certeval démo:personnels")
    return f"otpauth://totp/{label}?secret={demo_totp_secret()}&issuer={quote('Certeval démo')}&digits=6&period=30"


def _equip_staff() -> int:
    """Give every demo staff account (seeded by all the contexts before) the shared demo device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    count = 0
    for user in User.objects.filter(email__endswith="@demo.certeval.fr"):
        if not is_staff_person(user):
            continue
        TOTPDevice.objects.get_or_create(
            user=user, name=DEMO_TOTP_DEVICE_NAME, defaults={"key": DEMO_TOTP_KEY.hex(), "confirmed": True}
        )
        count += 1
    return count


def notes() -> list[str]:
    """Printed after the accounts, once every context seeded its people: their second factor."""
    count = _equip_staff()
    return [
        f"Second factor: the {count} staff accounts above ask for a code after the password "
        "(candidates are not asked).",
        "One entry in an authenticator app serves every demo staff account:",
        f"  secret (base32)  {demo_totp_secret()}",
        f"  otpauth URI      {demo_totp_uri()}",
    ]
