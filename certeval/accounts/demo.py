"""Demo accounts of the accounts context: the administrator."""

from __future__ import annotations

from typing import TextIO

from certeval.accounts.models import User
from certeval.core.demo import DEMO_PASSWORD, DemoAccount


def populate(stdout: TextIO) -> list[DemoAccount]:
    email = "admin@demo.certeval.fr"
    if not User.objects.filter(email=email).exists():
        User.objects.create_superuser(email, DEMO_PASSWORD, first_name="Alix", last_name="Administratrice")
    return [DemoAccount("administrateur", email)]
