"""Candidate identities: an identity is never disclosed across campaigns, and never merged.

Enrolling an address that already has a candidate identity succeeds only when the identity typed is
the stored one; staff accounts are never enrolled as candidates through the enrolment paths (form,
CSV/XLSX import, API)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.campaigns.models import CampaignRole, Candidate, ReviewerAssignment


@dataclass(frozen=True)
class Identity:
    birth_name: str
    first_names: str
    birth_date: date
    email: str
    usual_name: str = ""
    birth_place: str = ""


IDENTITY_FIELDS = ("birth_name", "usual_name", "first_names", "birth_date", "birth_place")


def _fold(value: object) -> str:
    """Compare names ignoring case, accents, spaces and punctuation."""
    text = unicodedata.normalize("NFD", str(value)).casefold()
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def identity_matches(candidate: Candidate, identity: Identity) -> bool:
    """Every identity field typed equals the stored one (case, accents and spacing ignored); an
    empty typed field only matches an empty stored one, so nothing stored is revealed."""
    return all(_fold(getattr(candidate, name)) == _fold(getattr(identity, name)) for name in IDENTITY_FIELDS)


def is_staff_account(user: User) -> bool:
    """Administrators and any account with a staff role (organiser, juror, president, invigilator)."""
    return bool(
        user.is_superuser
        or user.is_staff
        or CampaignRole.objects.filter(user=user).exists()
        or ReviewerAssignment.objects.filter(user=user).exists()
    )


def identity_refusal(identity: Identity) -> str | None:
    """Why this identity cannot be enrolled under its e-mail address, or None.

    The address may belong to a staff account, or to a candidate whose stored identity differs from
    the one typed. Both get the same neutral message, which reveals nothing about the stored person:
    the enrolment is refused, never merged, and the stored identity is never sent back."""
    email = identity.email.strip().lower()
    user = User.objects.filter(email=email).first()
    candidate = Candidate.objects.filter(email=email).first()
    refused = (user is not None and is_staff_account(user)) or (
        candidate is not None and not identity_matches(candidate, identity)
    )
    if not refused:
        return None
    return _(
        "Inscription refusée pour l'adresse « %(email)s » : elle ne peut pas être associée à "
        "l'identité saisie. Vérifiez la saisie ; si elle est exacte, un administrateur doit "
        "examiner cette adresse."
    ) % {"email": email}


def identity_display_name(identity: Identity) -> str:
    """The name as typed (never the stored one)."""
    return f"{(identity.usual_name or identity.birth_name).upper()} {identity.first_names}"
