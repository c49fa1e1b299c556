"""The privacy pages in « Mon compte » (``certeval.accounts.account_page``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from certeval.accounts.account_page import AccountEntry
from certeval.accounts.models import User
from certeval.accounts.permissions import is_administrator


def entries(user: User) -> list[AccountEntry]:
    found = [
        AccountEntry(
            _("Mes données"),
            "privacy:mine",
            _("Ce que la plateforme conserve sur vous et qui a consulté votre dossier : export JSON et PDF."),
        ),
        AccountEntry(
            _("Mes demandes"),
            "privacy:requests",
            _("Demander la rectification ou l'effacement de vos données, et suivre la réponse."),
        ),
    ]
    if is_administrator(user):
        found += [
            AccountEntry(
                _("Demandes des personnes"),
                "privacy:admin_requests",
                _("Les demandes de rectification et d'effacement à traiter, avec leurs échéances."),
            ),
            AccountEntry(
                _("Registre des traitements"),
                "privacy:register",
                _("Le registre des activités de traitement (RGPD, article 30), à exporter pour le DPO."),
            ),
        ]
    return found
