"""Signing, serving and verifying the Open Badges 3.0 credentials of awards.

A credential is signed once per award, with both proofs (``eddsa-rdfc-2022`` Data Integrity and an
RS256 VC-JWT), by the active keys: eagerly in a background task when awards are issued
(``credential_tasks``), or on the holder's first download. A revoked award keeps its credential;
its bit in the status list is set. The status list credential is built from the database at each
request and signed with the active Ed25519 key.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from certeval.campaigns.models import Campaign, CampaignState
from certeval.domain.credentials import baking, data_integrity, status_list, vc_jwt
from certeval.domain.credentials.build import credential, utc_stamp
from certeval.domain.credentials.verify import Verification, verify
from certeval.results.credential_build import credential_data, issuer, status_list_url
from certeval.results.credential_keys import (
    ed25519_private,
    jwt_kid,
    keys_ensure,
    resolve_ed25519,
    resolve_rsa,
    rsa_private,
    verification_method,
)
from certeval.results.models import Award, Credential, CredentialBatch, IssuerKey
from certeval.results.models.awards import STATUS_LIST_SIZE


class CredentialError(Exception):
    """A credential that cannot be made or read; the message says why."""


def _sign(award: Award, keys: tuple[IssuerKey, IssuerKey], now: datetime) -> Credential:
    ed25519, rsa = keys
    credential_uuid = uuid.uuid4()
    unsigned = credential(credential_data(award, credential_uuid))
    document = data_integrity.sign(unsigned, ed25519_private(ed25519), verification_method(ed25519), now)
    token = vc_jwt.sign(unsigned, rsa_private(rsa), jwt_kid(rsa))
    return Credential(
        award=award, uuid=credential_uuid, document=document, jwt=token, ed25519_key=ed25519, rsa_key=rsa
    )


def _awards_query() -> QuerySet[Award]:
    return Award.objects.select_related("candidate", "framework_version", "campaign")


def credential_for(award: Award) -> Credential:
    """The award's credential, signed now if it has none yet (idempotent under concurrency)."""
    existing = Credential.objects.filter(award=award).first()
    if existing is not None:
        return existing
    keys = keys_ensure()
    made = _sign(_awards_query().get(pk=award.pk), keys, timezone.now())
    try:
        with transaction.atomic():
            made.save()
    except IntegrityError:  # signed at the same moment by another request or the task
        return Credential.objects.get(award=award)
    return made


def credentials_sign(awards: Iterable[Award], progress: Callable[[int], None] | None = None) -> int:
    """Sign the credentials the given awards lack; returns how many were signed. ``progress`` is
    called with the running count every 25 credentials and at the end."""
    keys = keys_ensure()
    signed = 0
    for award in awards:
        if Credential.objects.filter(award_id=award.pk).exists():
            continue
        made = _sign(award, keys, timezone.now())
        try:
            with transaction.atomic():
                made.save()
                signed += 1
        except IntegrityError:
            pass
        if progress is not None and signed % 25 == 0:
            progress(signed)
    if progress is not None:
        progress(signed)
    return signed


def campaign_awards(campaign: Campaign) -> QuerySet[Award]:
    return _awards_query().filter(campaign=campaign).order_by("pk")


def batch_run(batch_id: int) -> CredentialBatch:
    """Run one queued batch, recording its progress as it goes."""
    batch = CredentialBatch.objects.select_related("campaign").get(pk=batch_id)
    if batch.state == CredentialBatch.State.FINISHED:
        return batch
    CredentialBatch.objects.filter(pk=batch.pk).update(state=CredentialBatch.State.RUNNING)

    def progress(count: int) -> None:
        CredentialBatch.objects.filter(pk=batch.pk).update(done=count)

    try:
        credentials_sign(campaign_awards(batch.campaign).filter(credential__isnull=True), progress)
    except Exception as error:
        CredentialBatch.objects.filter(pk=batch.pk).update(
            state=CredentialBatch.State.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    CredentialBatch.objects.filter(pk=batch.pk).update(
        state=CredentialBatch.State.FINISHED, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


# --- the forms a holder downloads ------------------------------------------------------------------


def credential_json(item: Credential) -> str:
    return json.dumps(item.document, ensure_ascii=False, indent=2)


def baked_png(item: Credential) -> bytes:
    """The badge image with the credential's compact JWT in its ``openbadgecredential`` chunk."""
    return baking.bake(baking.plain_badge(), item.jwt)


# --- the status list -------------------------------------------------------------------------------


def _encoded_list(number: int) -> str:
    """The ``encodedList`` of list ``number``: the bits of the revoked awards' positions in it."""
    start = number * STATUS_LIST_SIZE
    revoked = Award.objects.filter(
        revoked_at__isnull=False, status_index__gte=start, status_index__lt=start + STATUS_LIST_SIZE
    ).values_list("status_index", flat=True)
    return status_list.encode([index - start for index in revoked], STATUS_LIST_SIZE)


def status_bits(number: int) -> bytes:
    return status_list.decode(_encoded_list(number))


def status_list_count() -> int:
    """How many lists exist: positions run from 0 to the highest one given."""
    highest = Award.objects.order_by("-status_index").values_list("status_index", flat=True).first()
    return 1 if highest is None else highest // STATUS_LIST_SIZE + 1


def status_list_document(number: int) -> dict[str, Any]:
    """The signed ``BitstringStatusListCredential`` of list ``number``. The signed document is kept
    in the cache while the list's bits and the signing key stay the same: a revocation (new bits) or a
    key rotation gives a new document at once, and repeated requests do not sign again."""
    encoded = _encoded_list(number)
    ed25519, _rsa = keys_ensure()
    digest = hashlib.sha256(f"{number}|{ed25519.kid}|{encoded}".encode()).hexdigest()
    key = f"credentials:status-list:{digest}"
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    now = timezone.now()
    document = status_list.list_credential(
        status_list_url(number), issuer().reference(), utc_stamp(now), encoded
    )
    signed = data_integrity.sign(document, ed25519_private(ed25519), verification_method(ed25519), now)
    cache.set(key, signed, 24 * 3600)
    return signed


def _local_status(url: str) -> bytes | None:
    for number in range(status_list_count()):
        if status_list_url(number) == url:
            return status_bits(number)
    return None


def verify_offline(text: str, now: datetime | None = None) -> Verification:
    """Verify a credential (JSON with its proof, VC-JWT, or a baked PNG read by the caller) with the
    local keys and status lists only."""
    return verify(
        text,
        ed25519_keys=resolve_ed25519,
        rsa_keys=resolve_rsa,
        status=_local_status,
        now=now or timezone.now(),
    )


def read_credential_file(path: Path) -> str:
    """The credential text of a ``.json``, ``.jwt`` or baked ``.png`` file."""
    data = path.read_bytes()
    if data.startswith(baking.PNG_SIGNATURE):
        try:
            text = baking.extract(data)
        except baking.BakingError as error:
            raise CredentialError(f"{path}: {error}") from error
        if text is None:
            raise CredentialError(f"{path}: PNG image without an openbadgecredential chunk")
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CredentialError(f"{path}: neither text nor a PNG image") from error


def campaign_export(campaign: Campaign, out: Path) -> list[Path]:
    """Write every credential of the campaign's awards (signing those missing): ``<code>.json`` (with
    its Data Integrity proof) and ``<code>.jwt``."""
    if campaign.state not in {CampaignState.PUBLISHED, CampaignState.ARCHIVED}:
        raise CredentialError(f"campaign {campaign.slug} is not published")
    out.mkdir(parents=True, exist_ok=True)
    awards = list(campaign_awards(campaign))
    credentials_sign(awards)
    written = []
    for item in Credential.objects.filter(award__in=awards).select_related("award").order_by("award_id"):
        stem = out / item.award.grouped_code
        json_path, jwt_path = stem.with_suffix(".json"), stem.with_suffix(".jwt")
        json_path.write_text(credential_json(item) + "\n", encoding="utf-8")
        jwt_path.write_text(item.jwt + "\n", encoding="ascii")
        written += [json_path, jwt_path]
    return written
