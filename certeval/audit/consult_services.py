"""Writing the consultation log: ``consultation_record`` is called by the views that show a
candidate's file to someone else (organiser, juror, president, INSPÉ teacher, invigilator,
administrator). The candidate reading their own file records nothing.

De-duplication: one row per staff person × person concerned × page × window of
``CERTEVAL_CONSULTATION_WINDOW_MINUTES`` minutes (default 60), windows aligned on the clock (an
hour's window starts on the hour); reopening the page within the window keeps the first row. A
unique constraint makes it hold under concurrent requests."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from certeval.accounts.models import User
from certeval.audit.consult_models import Consultation

DEFAULT_WINDOW_MINUTES = 60

# The pages that show a candidate's file to someone else, as the person reads them in their export.
PAGES: Mapping[str, Promise] = {
    "enrolment": _("Fiche d'inscription du candidat"),
    "dossier_reading": _("Lecture du dossier par le jury"),
    "dossier_file": _("Téléchargement d'un fichier du dossier"),
    "scoring": _("Grille d'évaluation d'un juré"),
    "president": _("Pages du président de jury (harmonisation, délibération)"),
    "score_sheet": _("Bordereau de notation (PDF)"),
    "teacher_evaluation": _("Évaluation par l'enseignant INSPÉ"),
    "console_candidate": _("Console de surveillance : échanges avec le candidat"),
    "identity_check": _("Console de surveillance : contrôle d'identité"),
}


def page_label(code: str) -> str:
    label = PAGES.get(code)
    return str(label) if label is not None else code


def window_minutes() -> int:
    value = int(getattr(settings, "CERTEVAL_CONSULTATION_WINDOW_MINUTES", DEFAULT_WINDOW_MINUTES))
    return max(value, 1)


def window_start(moment: datetime, minutes: int | None = None) -> datetime:
    """The start of the window ``moment`` falls in (windows aligned on the epoch, so on the hour)."""
    size = timedelta(minutes=minutes or window_minutes())
    epoch = datetime(1970, 1, 1, tzinfo=moment.tzinfo)
    return epoch + ((moment - epoch) // size) * size


def consultation_record(
    *,
    staff: Any,
    staff_name: str = "",
    person_id: int | None,
    page: str,
    campaign_id: int | None = None,
    target: models.Model | None = None,
    at: datetime | None = None,
) -> Consultation | None:
    """Record that ``staff`` (an account; or, without one, the invigilator named ``staff_name``) opened ``page`` showing the file of the person ``person_id`` (None when nothing is recorded:
    an anonymous reader, the person themself, or an opening already recorded in this window)."""
    if page not in PAGES:
        raise ValueError(f"Unknown consultation page {page!r}.")
    account = staff if staff is not None and getattr(staff, "is_authenticated", False) else None
    if person_id is None or (account is None and not staff_name.strip()):
        return None
    if account is not None and account.pk == person_id:
        return None
    if account is not None:
        staff_key = f"user:{account.pk}"
        staff_name = account.get_full_name() or account.email
    else:
        staff_key = f"name:{staff_name.strip()[:200]}"
    moment = at or timezone.now()
    start = window_start(moment)
    key = {"staff_key": staff_key, "person_id": person_id, "page": page, "window_start": start}
    # The cache spares a query on pages reopened within the window (the scoring page is among the
    # busiest); the unique constraint stays the guarantee when the cache is empty or shared.
    marker = (
        "consult:"
        + hashlib.sha256(f"{staff_key}|{person_id}|{page}|{start.isoformat()}".encode()).hexdigest()
    )
    if not cache.add(marker, True, timeout=window_minutes() * 60):
        return None
    if Consultation.objects.filter(**key).exists():
        return None
    try:
        with transaction.atomic():
            return Consultation.objects.create(
                **key,
                staff=account,
                staff_name=staff_name.strip()[:200],
                campaign_id=campaign_id,
                target_type=target._meta.label_lower if target is not None else "",
                target_id=str(target.pk) if target is not None else "",
                at=moment,
            )
    except IntegrityError:  # the same opening recorded by a concurrent request
        return None


def consultations_of(person: User) -> models.QuerySet[Consultation]:
    """Every consultation of ``person``'s file, newest first."""
    return Consultation.objects.filter(person=person).select_related("staff", "campaign")
