"""What removing or anonymising one person's data does, category by category (docs/privacy.md,
« Retention »). Shared by the retention job and the answer to an erasure request; the caller holds
the transaction and writes the audit row.

Every relation of the schema protects (``on_delete=PROTECT``), and decisions, awards, deliberations,
enrolments' formation and degré, runs' levels and automated results feed the month-level statistics
(seed 004 §5.1) and the holders' register: those rows stay. What is removed is what the person wrote
or sent and what identifies them: files in storage, free texts, answers to questions, proctoring
events, and, for a person who holds nothing, the identity itself (replaced by a pseudonym)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q

from certeval.accounts.models import User
from certeval.campaigns.identities import is_staff_account
from certeval.campaigns.models import Candidate, Enrolment
from certeval.dossiers.models import DossierFile, EvidenceDeclaration, Receipt
from certeval.privacy.requests_models import PersonRequest
from certeval.privacy.retention_models import AnonymisedPerson
from certeval.testing.models import PlacementInvitation, ProctoringEvent, Question, SittingMessage

# The title a dossier file keeps once its bytes are removed (the row stays: hashes, sizes and the
# deposit's dates are the record of the deposit).
ERASED_TITLE = "[effacé]"
PSEUDONYM_BIRTH_NAME = "ANONYME"
PSEUDONYM_BIRTH_DATE = date(1900, 1, 1)


def _raw(model: type[models.Model]) -> models.QuerySet[Any]:
    """A plain queryset of ``model``: the dossier models refuse every change once frozen, on
    purpose; anonymisation is the one write allowed past that freeze (docs/privacy.md)."""
    return models.QuerySet(model=model)


def _remove_bytes(storage_name: str) -> bool:
    if not storage_name:
        return False
    try:
        if default_storage.exists(storage_name):
            default_storage.delete(storage_name)
            return True
    except OSError:
        return False
    return False


def proctoring_of(enrolment_ids: list[int]) -> int:
    """Delete the proctoring events and the messages of these enrolments' sittings."""
    events, _ = ProctoringEvent.objects.filter(sitting__enrolment_id__in=enrolment_ids).delete()
    messages, _ = SittingMessage.objects.filter(sitting__enrolment_id__in=enrolment_ids).delete()
    return events + messages


def responses_of(enrolment_ids: list[int], run_ids: list[int] | None = None) -> int:
    """Blank the answers given in these enrolments' runs (and in the runs of their campaigns without
    the enrolment, and in ``run_ids``); whether each was right, its duration and the run's level stay
    (item calibration and statistics)."""
    pairs = Enrolment.objects.filter(pk__in=enrolment_ids).values_list("candidate_id", "campaign_id")
    of_enrolments = Q(run__enrolment_id__in=enrolment_ids)
    for candidate_id, campaign_id in pairs:
        of_enrolments |= Q(
            run__enrolment__isnull=True, run__candidate_id=candidate_id, run__campaign_id=campaign_id
        )
    return Question.objects.filter(
        of_enrolments | Q(run_id__in=run_ids or []), response__isnull=False
    ).update(response=None)


def dossiers_of(enrolment_ids: list[int]) -> int:
    """Remove the dossier files' and receipts' bytes from storage, blank their titles, names, links
    and the notes of the declared evidence. The rows (hash, size, dates) stay as the record of the
    deposit."""
    files = list(
        _raw(DossierFile)
        .filter(dossier__enrolment_id__in=enrolment_ids)
        .exclude(title=ERASED_TITLE)
        .values_list("pk", "storage_name")
    )
    for _pk, storage_name in files:
        _remove_bytes(storage_name)
    _raw(DossierFile).filter(pk__in=[pk for pk, _ in files]).update(
        title=ERASED_TITLE, name=ERASED_TITLE, original_name="", link_url=""
    )
    _raw(EvidenceDeclaration).filter(dossier__enrolment_id__in=enrolment_ids).exclude(note="").update(note="")
    for storage_name in Receipt.objects.filter(dossier__enrolment_id__in=enrolment_ids).values_list(
        "storage_name", flat=True
    ):
        _remove_bytes(storage_name)
    return len(files)


def enrolment_texts_of(enrolment_ids: list[int]) -> int:
    """Blank what the person wrote at enrolment (needs, experience) and remove the attestation."""
    for storage_name in Enrolment.objects.filter(pk__in=enrolment_ids).values_list(
        "trainer_attestation_storage", flat=True
    ):
        _remove_bytes(storage_name)
    return Enrolment.objects.filter(pk__in=enrolment_ids).update(
        accessible_formats="",
        other_needs="",
        trainer_experience="",
        trainer_attestation_name="",
        trainer_attestation_storage="",
    )


def pseudonymise(candidate: Candidate, *, reason: str, now: datetime) -> None:
    """Replace the person's identity by a pseudonym and close their account for good: they can no
    longer sign in, and no page shows their name. Their rows stay, for the statistics."""
    address = f"anonyme-{candidate.pk}@anonyme.invalid"
    Candidate.objects.filter(pk=candidate.pk).update(
        birth_name=PSEUDONYM_BIRTH_NAME,
        usual_name="",
        first_names=f"Personne n° {candidate.pk}",
        birth_date=PSEUDONYM_BIRTH_DATE,
        birth_place="",
        email=address,
    )
    previous = User.objects.filter(pk=candidate.user_id).values_list("email", flat=True).first() or ""
    User.objects.filter(pk=candidate.user_id).update(
        email=address, first_name="", last_name="", is_active=False, password=make_password(None)
    )
    enrolment_texts_of(list(Enrolment.objects.filter(candidate=candidate).values_list("pk", flat=True)))
    # The address also sits on the invitations to the placement run the person received.
    PlacementInvitation.objects.filter(
        Q(accepted_by_id=candidate.user_id) | Q(email__iexact=previous)
    ).update(email=address)
    # Their own requests held identity values (rectifications) and free texts.
    for storage_name in PersonRequest.objects.filter(user_id=candidate.user_id).values_list(
        "proof_storage", flat=True
    ):
        _remove_bytes(storage_name)
    PersonRequest.objects.filter(user_id=candidate.user_id).update(
        current_value="", requested_value="", reason="", proof_name="", proof_storage=""
    )
    AnonymisedPerson.objects.get_or_create(candidate=candidate, defaults={"at": now, "reason": reason})


def is_staff(candidate: Candidate) -> bool:
    """A person who also holds a staff role keeps their account (their staff work rests on it)."""
    return is_staff_account(candidate.user)


def is_anonymised(candidate_id: int) -> bool:
    return AnonymisedPerson.objects.filter(candidate_id=candidate_id).exists()
