"""The issuer's signing keys: creation, rotation, storage of the private parts, publication.

Private keys live in the database (:class:`IssuerKey`), encrypted with Fernet under a key derived by
HKDF-SHA256 from ``CERTEVAL_CREDENTIALS["key_secret"]`` (empty: ``SECRET_KEY``); a database dump alone
does not reveal them. Two keys are active at a time, one per algorithm: Ed25519 (Data Integrity
proofs) and RSA (VC-JWT RS256). Rotation retires them and creates new ones; retired keys stay
published (Multikey controller document, JWKS) so that what they signed keeps verifying.

Identifiers: an Ed25519 key's verification method is ``{site}/openbadges/issuer/keys#{multikey}``
(the controller document lists it); an RSA key's JWT ``kid`` is ``{site}/openbadges/issuer/jwk/{thumbprint}``
(that URL serves its JWK).
"""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from joserfc.jwk import RSAKey

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.domain.credentials.multikey import (
    KeyFormatError,
    public_from_multikey,
    public_jwk,
    public_multikey,
    raw_private,
)
from certeval.results.credential_defaults import DEFAULT_CREDENTIALS
from certeval.results.models import IssuerKey

CID_CONTEXT = "https://www.w3.org/ns/cid/v1"


class KeyStoreError(RuntimeError):
    """A stored private key cannot be decrypted (the secret it was encrypted under changed)."""


def credential_settings() -> dict[str, Any]:
    """``CERTEVAL_CREDENTIALS`` over its documented defaults."""
    merged = dict(DEFAULT_CREDENTIALS)
    merged.update(getattr(settings, "CERTEVAL_CREDENTIALS", {}) or {})
    return merged


def site_url() -> str:
    return str(settings.CERTEVAL_SITE_URL).rstrip("/")


def absolute(path: str) -> str:
    return site_url() + path


def _secret() -> str:
    return str(credential_settings()["key_secret"] or settings.SECRET_KEY)


@lru_cache(maxsize=4)
def _fernet_for(secret: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"certeval-credentials", info=b"issuer-keys"
    ).derive(secret.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def _fernet() -> Fernet:
    return _fernet_for(_secret())


def _encrypt(data: bytes) -> str:
    return _fernet().encrypt(data).decode("ascii")


def _decrypt(key: IssuerKey) -> bytes:
    return _decrypt_value(key.private_encrypted, key.kid, _secret())


def _decrypt_value(private_encrypted: str, kid: str, secret: str) -> bytes:
    try:
        return _fernet_for(secret).decrypt(private_encrypted.encode("ascii"))
    except InvalidToken as error:
        raise KeyStoreError(
            f"private key {kid} cannot be decrypted: CERTEVAL_CREDENTIALS['key_secret'] or SECRET_KEY "
            "changed since it was made (restore it, or run `certeval credentials rotate-keys`)"
        ) from error


def _new_ed25519() -> IssuerKey:
    private = Ed25519PrivateKey.generate()
    public = private.public_key()
    return IssuerKey(
        algorithm=IssuerKey.Algorithm.ED25519,
        kid=public_multikey(public),
        public_jwk=public_jwk(public),
        private_encrypted=_encrypt(raw_private(private)),
    )


def _new_rsa() -> IssuerKey:
    private = RSAKey.generate_key(int(credential_settings()["rsa_key_size"]), private=True)
    return IssuerKey(
        algorithm=IssuerKey.Algorithm.RSA,
        kid=private.thumbprint(),
        public_jwk=dict(private.as_dict(private=False)),
        private_encrypted=_encrypt(private.as_pem(private=True)),
    )


def _active(algorithm: str) -> IssuerKey | None:
    return IssuerKey.objects.filter(algorithm=algorithm, retired_at__isnull=True).first()


def keys_ensure() -> tuple[IssuerKey, IssuerKey]:
    """The active (Ed25519, RSA) keys, created on first use."""
    found = _active(IssuerKey.Algorithm.ED25519), _active(IssuerKey.Algorithm.RSA)
    if found[0] is not None and found[1] is not None:
        return found[0], found[1]
    for algorithm, make in ((IssuerKey.Algorithm.ED25519, _new_ed25519), (IssuerKey.Algorithm.RSA, _new_rsa)):
        if _active(algorithm) is None:
            try:
                with transaction.atomic():
                    key = make()
                    key.save()
                    audit_record(
                        actor=None,
                        action="results.credential_key_create",
                        target=key,
                        data={"kind": key.algorithm, "object": key.kid},
                        campaign=None,
                        person=None,
                    )
            except IntegrityError:  # another process created it at the same moment
                pass
    ed25519, rsa = _active(IssuerKey.Algorithm.ED25519), _active(IssuerKey.Algorithm.RSA)
    assert ed25519 is not None and rsa is not None
    return ed25519, rsa


def keys_rotate(by: User | None) -> tuple[IssuerKey, IssuerKey]:
    """Retire the active keys and create new ones; the retired keys stay published."""
    with transaction.atomic():
        now = timezone.now()
        retired = list(IssuerKey.objects.select_for_update().filter(retired_at__isnull=True))
        for key in retired:
            key.retired_at = now
            key.save(update_fields=["retired_at"])
        created = [_new_ed25519(), _new_rsa()]
        for key in created:
            key.save()
            audit_record(
                actor=by,
                action="results.credential_key_rotate",
                target=key,
                data={"kind": key.algorithm, "object": key.kid, "replaces": [k.kid for k in retired]},
                campaign=None,
                person=None,
            )
    return created[0], created[1]


def ed25519_private(key: IssuerKey) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_decrypt(key))


def rsa_private(key: IssuerKey) -> RSAKey:
    """The RSA private key (loading one from PEM costs tens of milliseconds: kept in memory, per
    stored value and secret)."""
    return _rsa_loaded(key.private_encrypted, key.kid, _secret())


@lru_cache(maxsize=8)
def _rsa_loaded(private_encrypted: str, kid: str, secret: str) -> RSAKey:
    return RSAKey.import_key(_decrypt_value(private_encrypted, kid, secret))


# --- identifiers and publication --------------------------------------------------------------------


def issuer_id() -> str:
    return absolute(reverse("results:credential_issuer"))


def controller_id() -> str:
    return absolute(reverse("results:credential_keys"))


def verification_method(key: IssuerKey) -> str:
    return f"{controller_id()}#{key.kid}"


def jwt_kid(key: IssuerKey) -> str:
    return absolute(reverse("results:credential_jwk", args=[key.kid]))


def _all(algorithm: str) -> list[IssuerKey]:
    return list(IssuerKey.objects.filter(algorithm=algorithm).order_by("created_at", "pk"))


def controller_document() -> dict[str, Any]:
    """The Multikey controller document: every Ed25519 key, retired ones included."""
    methods = [
        {
            "id": verification_method(key),
            "type": "Multikey",
            "controller": controller_id(),
            "publicKeyMultibase": key.kid,
        }
        for key in _all(IssuerKey.Algorithm.ED25519)
    ]
    return {
        "@context": [CID_CONTEXT],
        "id": controller_id(),
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def public_jwk_of(key: IssuerKey) -> dict[str, Any]:
    extra = {"alg": "RS256"} if key.algorithm == IssuerKey.Algorithm.RSA else {"alg": "EdDSA"}
    return {**key.public_jwk, "kid": jwt_kid(key), "use": "sig", **extra}


def jwks() -> dict[str, Any]:
    """Every public key as a JWK Set (RSA for the VC-JWT, Ed25519 as OKP), retired ones included."""
    return {"keys": [public_jwk_of(key) for key in IssuerKey.objects.order_by("created_at", "pk")]}


def keys_listing() -> list[dict[str, Any]]:
    """What `certeval credentials keys --json` prints."""
    rows = []
    for key in IssuerKey.objects.order_by("created_at", "pk"):
        row: dict[str, Any] = {
            "algorithm": key.algorithm,
            "created_at": key.created_at.isoformat(),
            "retired_at": key.retired_at.isoformat() if key.retired_at else None,
            "jwk": public_jwk_of(key),
        }
        if key.algorithm == IssuerKey.Algorithm.ED25519:
            row["verification_method"] = verification_method(key)
            row["publicKeyMultibase"] = key.kid
        else:
            row["kid"] = jwt_kid(key)
        rows.append(row)
    return rows


# --- look-ups for verification (offline: the local keys) ------------------------------------------


def resolve_ed25519(method: str) -> Ed25519PublicKey | None:
    prefix = controller_id() + "#"
    if not method.startswith(prefix):
        return None
    key = IssuerKey.objects.filter(algorithm=IssuerKey.Algorithm.ED25519, kid=method[len(prefix) :]).first()
    if key is None:
        return None
    try:
        return public_from_multikey(key.kid)
    except KeyFormatError:
        return None


def resolve_rsa(kid: str) -> RSAKey | None:
    key = (
        IssuerKey.objects.filter(algorithm=IssuerKey.Algorithm.RSA).filter(kid=kid.rsplit("/", 1)[-1]).first()
    )
    if key is None or jwt_kid(key) != kid:
        return None
    return RSAKey.import_key(key.public_jwk)
