"""Open Badges 3.0 credentials without Django: the official eddsa-rdfc-2022 vector, signing and
verifying both proofs, tampering, the schema, pinned contexts and baking."""

from __future__ import annotations

import copy
import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st
from joserfc import jwt as jose_jwt
from joserfc.jwk import RSAKey

from certeval.domain.credentials import baking, build, contexts, data_integrity, status_list, vc_jwt
from certeval.domain.credentials.multikey import public_from_multikey, public_multikey
from certeval.domain.credentials.schema import schema_errors
from certeval.domain.credentials.verify import verify

OB3 = Path(__file__).resolve().parents[3] / ".." / "shared" / "standards" / "ob3"
ISSUER = build.Issuer(
    id="https://certeval.example/openbadges/issuer", name="Certeval", url="https://certeval.example/"
)
SIGNING_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
METHOD = f"https://certeval.example/openbadges/issuer/keys#{public_multikey(SIGNING_KEY.public_key())}"
RSA_KEY = RSAKey.generate_key(2048, private=True)
KID = "https://certeval.example/openbadges/issuer/jwk/rsa-1"
LIST_URL = "https://certeval.example/openbadges/status/0"
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def standard(name: str) -> Path:
    path = OB3 / name
    if not path.exists():
        pytest.skip(f"{path} absent (shared standards folder)")
    return path


def sample_data(**changes: Any) -> build.CredentialData:
    achievement = build.Achievement(
        id="https://certeval.example/referentiels/titre/v1/bloc/B1",
        name="Bloc 1 — Concevoir une action de formation",
        description="Bloc de compétences du titre.",
        criteria="Validé par le jury sur dossier et oral.",
        achievement_type="Competency",
        code="RNCP12345BC01",
        version="1",
        alignments=(
            build.Alignment(
                target_name="Concevoir",
                target_url="https://certeval.example/referentiels/titre/case/CFItems/1b4e28ba-2fa1-11d2-883f-0016d3cca427",
                target_code="B1",
            ),
        ),
        levels=(build.Level("acquis", "Acquis"), build.Level("expert", "Expert")),
    )
    values: dict[str, Any] = {
        "id": "urn:uuid:2b0a8c1e-5c1f-4f43-9a47-3c1f5d7a9e10",
        "name": "Bloc 1 — Concevoir une action de formation",
        "description": "Attestation de validation d'un bloc de compétences.",
        "issuer": ISSUER,
        "subject": build.Subject(
            id="urn:uuid:7d4c1b2a-1111-4a2b-8c3d-0123456789ab",
            name="Camille Martin",
            email="camille@example.org",
            salt="abc",
        ),
        "achievement": achievement,
        "awarded_on": date(2026, 7, 1),
        "valid_from": date(2026, 7, 1),
        "valid_until": date(2031, 7, 1),
        "level": "acquis",
        "evidence": (
            build.Evidence(
                id="https://certeval.example/verifier/ABCD-EFGH-JKMN",
                name="Décision du jury",
                narrative="Bloc validé par le jury le 1er juillet 2026.",
            ),
        ),
        "status": status_list.entry(LIST_URL, 42),
    }
    values.update(changes)
    return build.CredentialData(**values)


def ed_keys(method: str) -> Any:
    return SIGNING_KEY.public_key() if method == METHOD else None


def rsa_keys(kid: str) -> RSAKey | None:
    return RSAKey.import_key(RSA_KEY.as_dict(private=False)) if kid == KID else None


def no_revocation(url: str) -> bytes | None:
    return status_list.decode(status_list.encode([])) if url == LIST_URL else None


def signed() -> dict[str, Any]:
    return data_integrity.sign(build.credential(sample_data()), SIGNING_KEY, METHOD, "2026-07-01T10:00:00Z")


# --- the official test vector --------------------------------------------------------------------


def test_official_eddsa_rdfc_2022_vector_is_reproduced_bit_for_bit() -> None:
    vector = json.loads(standard("test-vector-eddsa-rdfc-2022.json").read_text())
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(vector["ed25519_private_seed_hex"]))
    assert key.public_key().public_bytes_raw().hex() == vector["ed25519_public_key_hex"]
    options = vector["proof_options"]
    config_hash, document_hash = data_integrity.hashes(vector["credential"], options)
    assert document_hash.hex() == vector["expected"]["document_hash_sha256_hex"]
    assert config_hash.hex() == vector["expected"]["proof_config_hash_sha256_hex"]
    secured = data_integrity.sign(
        vector["credential"], key, options["verificationMethod"], options["created"]
    )
    assert secured["proof"][0]["proofValue"] == vector["expected"]["proof_value_multibase"]
    assert {k: v for k, v in secured["proof"][0].items() if k != "proofValue"} == options
    # The method's fragment is the key's Multikey: it resolves to the vector's public key.
    multikey = options["verificationMethod"].split("#")[1]
    assert public_from_multikey(multikey).public_bytes_raw() == key.public_key().public_bytes_raw()
    check = data_integrity.verify(secured, lambda method: public_from_multikey(method.split("#")[1]))
    assert check.ok, check.reason


def test_pinned_contexts_equal_the_official_files() -> None:
    for url, (name, digest) in [*contexts.PINNED_CONTEXTS.items(), ("schema", contexts.SCHEMA_FILE)]:
        official = standard("achievementcredential.json" if url == "schema" else name).read_bytes()
        assert (contexts.DATA_DIR / name).read_bytes() == official, url
        assert hashlib.sha256(official).hexdigest() == digest, url


def test_an_unpinned_context_is_refused_without_network() -> None:
    document = {"@context": ["https://example.org/other-context.jsonld"], "id": "urn:x", "name": "x"}
    with pytest.raises(contexts.UnknownContextError):
        contexts.canonicalize(document)
    secured = signed()
    secured["@context"] = [*secured["@context"], "https://example.org/other-context.jsonld"]
    check = data_integrity.verify(secured, ed_keys)
    assert not check.ok and "not available offline" in check.reason


def test_a_modified_pinned_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "credentials-v2.jsonld").write_text("{}")
    monkeypatch.setattr(contexts, "DATA_DIR", tmp_path)
    with pytest.raises(contexts.TamperedDataError):
        contexts.load_pinned(*contexts.PINNED_CONTEXTS[contexts.CREDENTIALS_V2])


# --- credentials built here ----------------------------------------------------------------------


def test_built_credential_validates_against_the_official_schema() -> None:
    assert schema_errors(signed()) == []
    minimal = build.credential(sample_data(valid_until=None, level="", evidence=(), status=None))
    assert schema_errors(minimal) == []
    assert "validUntil" not in minimal and "result" not in minimal["credentialSubject"]


def test_schema_errors_name_the_path() -> None:
    document = signed()
    document["credentialSubject"]["achievement"]["achievementType"] = "Diplôme"
    del document["validFrom"]
    errors = schema_errors(document)
    assert any(error.startswith("(root): 'validFrom' is a required property") for error in errors)
    assert any(error.startswith("credentialSubject/achievement/achievementType") for error in errors)


def test_dates_carry_the_offset_of_their_time_zone() -> None:
    paris = build.credential(sample_data(zone="Europe/Paris"))
    assert paris["validFrom"] == "2026-07-01T00:00:00+02:00"  # summer time
    assert paris["validUntil"] == "2031-07-01T23:59:59+02:00"
    winter = build.credential(
        sample_data(zone="Europe/Paris", valid_from=date(2026, 12, 1), valid_until=None)
    )
    assert winter["validFrom"] == "2026-12-01T00:00:00+01:00"
    assert build.credential(sample_data())["validFrom"] == "2026-07-01T00:00:00Z"
    assert schema_errors(paris) == []


def test_code_is_omitted_when_empty() -> None:
    achievement = sample_data().achievement
    bare = build.Achievement(**{**achievement.__dict__, "code": ""})
    document = build.credential(sample_data(achievement=bare))
    assert "humanCode" not in document["credentialSubject"]["achievement"]
    assert "otherIdentifiers" not in document["credentialSubject"]["achievement"]
    assert signed()["credentialSubject"]["achievement"]["humanCode"] == "RNCP12345BC01"


def test_result_points_at_a_level_of_the_result_description() -> None:
    subject = signed()["credentialSubject"]
    assert subject["result"][0]["achievedLevel"].endswith("/bloc/B1#niveau-acquis")
    with_fragment = build.Achievement(
        **{**sample_data().achievement.__dict__, "id": "https://x.example/p#bloc-1"}
    )
    assert with_fragment.level_id("acquis") == "https://x.example/p#bloc-1-niveau-acquis"
    levels = subject["achievement"]["resultDescription"][0]["rubricCriterionLevel"]
    assert subject["result"][0]["achievedLevel"] in {level["id"] for level in levels}
    assert subject["result"][0]["resultDescription"] == subject["achievement"]["resultDescription"][0]["id"]


def test_data_integrity_round_trip_and_every_kind_of_tampering_is_detected() -> None:
    secured = signed()
    assert data_integrity.verify(secured, ed_keys).ok
    tampered = []
    for change in (
        lambda d: d["credentialSubject"]["result"][0].update(
            achievedLevel=d["credentialSubject"]["achievement"]["id"] + "#niveau-expert"
        ),
        lambda d: d.update(validUntil="2099-01-01T00:00:00Z"),
        lambda d: d["credentialSubject"]["identifier"][0].update(identityHash="Someone Else"),
        lambda d: d["proof"][0].update(created="2026-07-02T10:00:00Z"),
        lambda d: d["proof"][0].update(proofValue=d["proof"][0]["proofValue"][:-2] + "11"),
    ):
        copy_ = copy.deepcopy(secured)
        change(copy_)
        tampered.append(data_integrity.verify(copy_, ed_keys))
    assert [check.ok for check in tampered] == [False] * 5
    other = Ed25519PrivateKey.generate()
    forged = data_integrity.sign(build.credential(sample_data()), other, METHOD, "2026-07-01T10:00:00Z")
    assert "altered or wrong key" in data_integrity.verify(forged, ed_keys).reason
    unknown = data_integrity.verify(secured, lambda method: None)
    assert not unknown.ok and "unknown verification method" in unknown.reason


def test_vc_jwt_header_claims_and_round_trip() -> None:
    credential = build.credential(sample_data())
    token = vc_jwt.sign(signed(), RSA_KEY, KID)
    check = vc_jwt.verify(token, rsa_keys)
    assert check.ok, check.reason
    assert check.credential == credential
    decoded = jose_jwt.decode(token, RSA_KEY, algorithms=["RS256"])
    assert set(decoded.header) == {"alg", "kid", "typ"} and decoded.header["kid"] == KID
    claims = decoded.claims
    assert claims["iss"] == credential["issuer"]["id"]
    assert claims["jti"] == credential["id"]
    assert claims["sub"] == credential["credentialSubject"]["id"]
    assert claims["nbf"] == int(datetime(2026, 7, 1, tzinfo=UTC).timestamp())
    assert claims["exp"] == int(datetime(2031, 7, 1, 23, 59, 59, tzinfo=UTC).timestamp())
    assert "proof" not in claims


def test_vc_jwt_tampering_and_mismatched_claims_are_detected() -> None:
    token = vc_jwt.sign(build.credential(sample_data()), RSA_KEY, KID)
    head, payload, signature = token.split(".")
    altered = f"{head}.{payload[:-4]}AAAA.{signature}"
    assert not vc_jwt.verify(altered, rsa_keys).ok
    assert "unknown JWT key" in vc_jwt.verify(token, lambda kid: None).reason
    lying = jose_jwt.encode(
        {"alg": "RS256", "kid": KID, "typ": "JWT"},
        {**build.credential(sample_data()), "iss": "https://elsewhere.example/", "jti": "x", "nbf": 0},
        RSA_KEY,
    )
    assert "claim iss does not match" in vc_jwt.verify(lying, rsa_keys).reason
    extra_header = jose_jwt.encode(
        {"alg": "RS256", "kid": KID, "typ": "JWT", "x5u": "https://x"}, {}, RSA_KEY
    )
    assert "unexpected JOSE header" in vc_jwt.verify(extra_header, rsa_keys).reason
    assert not vc_jwt.verify("not.a.jwt", rsa_keys).ok


def test_full_verification_of_both_forms_dates_and_status() -> None:
    secured = signed()
    token = vc_jwt.sign(secured, RSA_KEY, KID)
    for text in (json.dumps(secured), token):
        result = verify(text, ed25519_keys=ed_keys, rsa_keys=rsa_keys, status=no_revocation, now=NOW)
        assert result.ok, result.reasons
    revoked_bits = status_list.decode(status_list.encode([42]))
    revoked = verify(token, ed25519_keys=ed_keys, rsa_keys=rsa_keys, status=lambda url: revoked_bits, now=NOW)
    assert revoked.reasons == ["status: revoked by its issuer"]
    late = verify(
        json.dumps(secured),
        ed25519_keys=ed_keys,
        rsa_keys=rsa_keys,
        status=no_revocation,
        now=datetime(2031, 7, 2, tzinfo=UTC),
    )
    assert late.reasons == ["dates: expired on 2031-07-01T23:59:59Z"]
    early = verify(
        token,
        ed25519_keys=ed_keys,
        rsa_keys=rsa_keys,
        status=no_revocation,
        now=datetime(2026, 6, 30, tzinfo=UTC),
    )
    assert early.reasons == ["dates: not valid before 2026-07-01T00:00:00Z"]
    unknown_list = verify(token, ed25519_keys=ed_keys, rsa_keys=rsa_keys, status=lambda url: None, now=NOW)
    assert unknown_list.reasons == [f"status: status list {LIST_URL} unknown"]
    naive = dict(secured, validFrom="2026-07-01T00:00:00")  # no offset: read as UTC, never a crash
    result = verify(json.dumps(naive), ed25519_keys=ed_keys, rsa_keys=rsa_keys, status=no_revocation, now=NOW)
    assert result.reasons == ["proof: signature does not match the document (altered or wrong key)"]
    garbage = verify("hello", ed25519_keys=ed_keys, rsa_keys=rsa_keys, status=no_revocation, now=NOW)
    assert not garbage.ok and garbage.reasons[0].startswith("format:")


def test_baked_png_carries_the_credential_once() -> None:
    image = baking.plain_badge(64)
    token = vc_jwt.sign(signed(), RSA_KEY, KID)
    baked = baking.bake(image, token)
    assert baking.extract(baked) == token
    assert baking.extract(image) is None
    rebaked = baking.bake(baked, json.dumps(signed()))
    assert baked.count(baking.KEYWORD) == 1 and rebaked.count(baking.KEYWORD) == 1
    assert json.loads(baking.extract(rebaked) or "") == signed()
    assert rebaked.endswith(b"IEND\xaeB`\x82")
    with pytest.raises(baking.BakingError):
        baking.bake(b"GIF89a", token)
    damaged = bytearray(baked)
    damaged[-20] ^= 0xFF
    with pytest.raises(baking.BakingError):
        baking.extract(bytes(damaged))


def _string_leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _string_leaves(item, (*path, key))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in _string_leaves(item, (*path, index))]
    return [path] if isinstance(value, str) else []


SIGNED = signed()
LEAVES = [path for path in _string_leaves(SIGNED) if path[0] not in {"proof", "@context"}]


@settings(max_examples=30, deadline=None)
@given(path=st.sampled_from(LEAVES), suffix=st.text(alphabet="abcXYZ0123", min_size=1, max_size=4))
def test_changing_any_statement_of_the_credential_breaks_the_proof(
    path: tuple[Any, ...], suffix: str
) -> None:
    """Every text value is part of the signed RDF graph: no term is silently dropped by JSON-LD."""
    document = copy.deepcopy(SIGNED)
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    value = parent[path[-1]]
    parent[path[-1]] = f"{value}{suffix}" if not value.startswith(("http", "urn:")) else f"{value}/{suffix}"
    check = data_integrity.verify(document, ed_keys)
    assert not check.ok, path
