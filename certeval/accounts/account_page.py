"""« Mon compte »: one page gathering what a signed-in person can do about their own account and
data — password, second factor, their data and requests — instead of one header link each.

Each context adds its own entries from its ``AppConfig.ready()`` with :func:`register` (accounts sits
below the contexts that own personal data); an entry is a label, the page's URL name and one sentence
saying what it is for, shown to the people the entry's function chooses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.models import User


@dataclass(frozen=True)
class AccountEntry:
    label: str
    url_name: str
    description: str


EntriesOf = Callable[[User], list[AccountEntry]]
_SOURCES: list[EntriesOf] = []


def register(source: EntriesOf) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def own_entries(user: User) -> list[AccountEntry]:
    return [
        AccountEntry(
            str(_("Changer mon mot de passe")),
            "accounts:password_change",
            str(_("Votre mot de passe actuel vous est demandé ; un courriel confirme le changement.")),
        ),
        AccountEntry(
            str(_("Second facteur")),
            "accounts_otp:manage",
            str(
                _(
                    "Application d'authentification, clé d'accès et codes de secours ; obligatoire pour "
                    "les comptes des personnels, facultatif pour les candidats."
                )
            ),
        ),
    ]


@login_required
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    entries = [entry for source in [own_entries, *_SOURCES] for entry in source(request.user)]
    links = [{"label": e.label, "url": reverse(e.url_name), "description": e.description} for e in entries]
    return render(request, "accounts/account.html", {"links": links})
