"""The Data Integrity proof ``eddsa-rdfc-2022`` (W3C Data Integrity EdDSA Cryptosuites v1.0).

Signing: the proof configuration (the proof options with the document's ``@context``) and the
document without its proof are each canonicalised (RDFC-1.0) and hashed with SHA-256; the Ed25519
signature of ``proofConfigHash || documentHash`` is the ``proofValue``, multibase base58-btc. The proof
attached to the document is the proof options plus ``proofValue``, in a one-element ``proof`` array
(the OB 3.0 schema's form).

Verification recomputes both hashes from the received document, so a change to any statement of the
credential or of the proof options (date, key, purpose) makes the signature fail.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from certeval.domain.credentials.contexts import UnknownContextError, canonicalize
from certeval.domain.credentials.multikey import KeyFormatError, decode_multibase, encode_multibase

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"

# verificationMethod → public key, or None when unknown.
KeyResolver = Callable[[str], Ed25519PublicKey | None]


@dataclass(frozen=True)
class ProofCheck:
    ok: bool
    reason: str
    verification_method: str = ""


def proof_options(verification_method: str, created: datetime | str) -> dict[str, Any]:
    stamp = created if isinstance(created, str) else created.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "type": PROOF_TYPE,
        "created": stamp,
        "verificationMethod": verification_method,
        "cryptosuite": CRYPTOSUITE,
        "proofPurpose": PROOF_PURPOSE,
    }


def hashes(document: dict[str, Any], options: dict[str, Any]) -> tuple[bytes, bytes]:
    """``(proofConfigHash, documentHash)`` of an unsecured document and its proof options."""
    config = {key: value for key, value in options.items() if key != "proofValue"}
    config["@context"] = document["@context"]
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    config_hash = hashlib.sha256(canonicalize(config).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonicalize(unsecured).encode("utf-8")).digest()
    return config_hash, document_hash


def sign(
    document: dict[str, Any],
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime | str,
) -> dict[str, Any]:
    """A copy of ``document`` with its ``eddsa-rdfc-2022`` proof."""
    options = proof_options(verification_method, created)
    config_hash, document_hash = hashes(document, options)
    proof = dict(options, proofValue=encode_multibase(private_key.sign(config_hash + document_hash)))
    secured = copy.deepcopy({key: value for key, value in document.items() if key != "proof"})
    secured["proof"] = [proof]  # the OB 3.0 schema wants an array of proofs
    return secured


def verify(document: dict[str, Any], resolve: KeyResolver) -> ProofCheck:
    """Check the document's ``eddsa-rdfc-2022`` proof; the reason says what failed."""
    proof = document.get("proof")
    if isinstance(proof, list):
        proofs = [p for p in proof if isinstance(p, dict) and p.get("cryptosuite") == CRYPTOSUITE]
        proof = proofs[0] if len(proofs) == 1 else None
    if not isinstance(proof, dict):
        return ProofCheck(False, f"no single {CRYPTOSUITE} proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return ProofCheck(False, f"proof is not a {PROOF_TYPE} with cryptosuite {CRYPTOSUITE}")
    if proof.get("proofPurpose") != PROOF_PURPOSE:
        return ProofCheck(False, f"proof purpose is not {PROOF_PURPOSE}")
    method = proof.get("verificationMethod")
    value = proof.get("proofValue")
    if not isinstance(method, str) or not isinstance(value, str):
        return ProofCheck(False, "proof lacks verificationMethod or proofValue")
    try:
        datetime.fromisoformat(str(proof.get("created", "")))
    except ValueError:
        return ProofCheck(False, "proof creation date is not a date-time", method)
    key = resolve(method)
    if key is None:
        return ProofCheck(False, f"unknown verification method {method}", method)
    try:
        signature = decode_multibase(value)
        config_hash, document_hash = hashes(document, proof)
        key.verify(signature, config_hash + document_hash)
    except KeyFormatError as error:
        return ProofCheck(False, f"proof value: {error}", method)
    except UnknownContextError as error:
        return ProofCheck(False, str(error), method)
    except InvalidSignature:
        return ProofCheck(False, "signature does not match the document (altered or wrong key)", method)
    except Exception as error:  # pyld raises its own errors for malformed JSON-LD
        return ProofCheck(False, f"document cannot be canonicalised: {error}", method)
    return ProofCheck(True, "Data Integrity proof eddsa-rdfc-2022 valid", method)
