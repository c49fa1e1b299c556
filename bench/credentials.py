"""Signed Open Badges 3.0 credentials per minute: build an ``OpenBadgeCredential`` (a bloc of a title,
aligned to 8 CASE items, with its level, evidence and status entry), sign it with both proofs
(``eddsa-rdfc-2022`` Data Integrity: two RDFC-1.0 canonicalisations with pyld; VC-JWT RS256 2048),
then verify both, in one process.

    .venv/bin/python bench/credentials.py [--count 200]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
import uuid
from datetime import UTC, date, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc.jwk import RSAKey

from certeval.domain.credentials import build, data_integrity, status_list, vc_jwt
from certeval.domain.credentials.multikey import public_multikey
from certeval.domain.credentials.verify import verify

SITE = "https://certeval.example"


def credential_data(index: int) -> build.CredentialData:
    issuer = build.Issuer(id=f"{SITE}/openbadges/issuer", name="Certeval", url=f"{SITE}/")
    alignments = tuple(
        build.Alignment(
            target_name=f"Compétence {k} du bloc 1 — concevoir et piloter une action de formation",
            target_url=f"{SITE}/referentiels/titre/case/CFItems/{uuid.uuid5(uuid.NAMESPACE_URL, str(k))}",
            target_code=f"1.{k}",
            target_framework="Titre professionnel Responsable de formation",
        )
        for k in range(8)
    )
    achievement = build.Achievement(
        id=f"{SITE}/referentiels/titre/v1/#bloc-1",
        name="Bloc 1 — Concevoir et piloter une action de formation",
        description="Bloc de compétences 1 de la certification « Responsable de formation ».",
        criteria="Bloc de compétences validé par décision du jury.",
        criteria_url=f"{SITE}/referentiels/titre/v1/?onglet=epreuves",
        achievement_type="Competency",
        version="1",
        alignments=alignments,
        levels=tuple(
            build.Level(level, level.title()) for level in ("initie", "confirme", "avance", "expert")
        ),
    )
    return build.CredentialData(
        id=uuid.uuid4().urn,
        name=achievement.name,
        description="Attestation de validation d'un bloc de compétences.",
        issuer=issuer,
        subject=build.Subject(
            id=uuid.uuid4().urn, name=f"DUPONT Camille {index}", email=f"c{index}@example.org"
        ),
        achievement=achievement,
        awarded_on=date(2026, 7, 1),
        valid_from=date(2026, 7, 1),
        valid_until=date(2031, 7, 1),
        level="confirme",
        evidence=(
            build.Evidence(
                f"{SITE}/verifier/ABCDEFGHJKMN/", "Décision du jury", "Bloc validé le 01/07/2026."
            ),
        ),
        status=status_list.entry(f"{SITE}/openbadges/status/0", index),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200)
    count = parser.parse_args().count
    ed25519 = Ed25519PrivateKey.generate()
    method = f"{SITE}/openbadges/issuer/keys#{public_multikey(ed25519.public_key())}"
    rsa = RSAKey.generate_key(2048, private=True)
    kid = f"{SITE}/openbadges/issuer/jwk/{rsa.thumbprint()}"
    data_integrity.sign(
        build.credential(credential_data(0)), ed25519, method, "2026-07-01T10:00:00Z"
    )  # warm-up

    signed: list[tuple[dict, str]] = []
    start = time.perf_counter()
    di_time = jwt_time = 0.0
    for index in range(count):
        unsigned = build.credential(credential_data(index))
        t0 = time.perf_counter()
        document = data_integrity.sign(unsigned, ed25519, method, "2026-07-01T10:00:00Z")
        t1 = time.perf_counter()
        token = vc_jwt.sign(unsigned, rsa, kid)
        jwt_time += time.perf_counter() - t1
        di_time += t1 - t0
        signed.append((document, token))
    elapsed = time.perf_counter() - start

    bits = status_list.decode(status_list.encode([]))
    public_rsa = RSAKey.import_key(rsa.as_dict(private=False))
    now = datetime(2027, 1, 1, tzinfo=UTC)
    start = time.perf_counter()
    for document, token in signed:
        for text in (json.dumps(document), token):
            result = verify(
                text,
                ed25519_keys=lambda m: ed25519.public_key() if m == method else None,
                rsa_keys=lambda k: public_rsa if k == kid else None,
                status=lambda url: bits,
                now=now,
            )
            assert result.ok, result.reasons
    verify_elapsed = time.perf_counter() - start

    print(
        f"machine: nproc {os.cpu_count()}, {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    print(
        f"{count} credentials signed with both proofs in {elapsed:.2f} s: {count / elapsed * 60:,.0f} per minute"
    )
    print(
        f"  Data Integrity eddsa-rdfc-2022: {di_time / count * 1000:.1f} ms each; VC-JWT RS256: {jwt_time / count * 1000:.1f} ms each"
    )
    print(f"  document size {len(json.dumps(signed[0][0])):,} bytes, JWT {len(signed[0][1]):,} bytes")
    print(
        f"verified (both forms, schema, dates, status): {count / verify_elapsed * 60:,.0f} credentials per minute"
    )


if __name__ == "__main__":
    main()
