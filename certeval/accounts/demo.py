"""Demo accounts of the accounts context: the administrator and the two item writers (their
writer role on the Pix+ Édu item bank is granted by ``certeval/testing/demo.py``)."""

from __future__ import annotations

from typing import TextIO

from certeval.accounts.models import User
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
