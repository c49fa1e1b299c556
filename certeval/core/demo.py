"""Demo accounts of the core: the administrator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

DEMO_PASSWORD = "demo-certeval"  # noqa: S105 - the published password of the demo accounts


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str = DEMO_PASSWORD


def populate(stdout: TextIO) -> list[DemoAccount]:
    from certeval.accounts.models import User

    email = "admin@demo.certeval.fr"
    if not User.objects.filter(email=email).exists():
        User.objects.create_superuser(email, DEMO_PASSWORD, first_name="Alix", last_name="Administratrice")
    return [DemoAccount("administrateur", email)]
