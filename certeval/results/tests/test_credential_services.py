"""Credentials of awards: signed in the background at publication with both proofs, valid against the
official schema, verifiable offline, revocable through the status list, surviving a key rotation."""

from __future__ import annotations

import base64
import json
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft201909Validator

from certeval.campaigns.tests.factories import UserFactory
from certeval.domain.credentials import baking, data_integrity, status_list
from certeval.domain.credentials.schema import schema_errors
from certeval.results.award_services import award_issue_for_placement, award_revoke
from certeval.results.credential_hooks import sign_on_placement
from certeval.results.credential_keys import (
    KeyStoreError,
    ed25519_private,
    keys_ensure,
    keys_rotate,
    resolve_ed25519,
)
from certeval.results.credential_services import credential_for, status_list_document, verify_offline
from certeval.results.models import Award, Credential, CredentialBatch, IssuerKey
from certeval.results.tests.credential_fixtures import certified_campaign, title_by_blocs
from certeval.testing.models import Run
from certeval.testing.tests.run_factories import BANK, enrolled

pytestmark = pytest.mark.django_db


def test_publication_signs_every_award_in_a_background_batch(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        jc = title_by_blocs("12")
    awards = list(Award.objects.order_by("bloc_code"))
    assert [a.bloc_code for a in awards] == ["1", "2"]
    batch = CredentialBatch.objects.get(campaign=jc.campaign)
    assert (batch.state, batch.total, batch.done) == (CredentialBatch.State.FINISHED, 2, 2)
    for award in awards:
        item = Credential.objects.get(award=award)
        assert schema_errors(item.document) == []
        for text in (json.dumps(item.document), item.jwt):
            result = verify_offline(text)
            assert result.ok, result.reasons
        achievement = item.document["credentialSubject"]["achievement"]
        assert achievement["achievementType"] == "Competency"
        assert achievement["id"].endswith(f"#bloc-{award.bloc_code}")
        assert "humanCode" not in achievement  # no RNCP code configured
        # Aligned to the bloc and its competences, each at a URL that serves the CASE item.
        codes = [alignment["targetCode"] for alignment in achievement["alignment"]]
        assert codes[0] == award.bloc_code and len(codes) > 1
        path = achievement["alignment"][0]["targetUrl"].removeprefix("http://127.0.0.1:8000")
        node = Client().get(path)
        assert node.status_code == 200 and node.json()["humanCodingScheme"] == award.bloc_code
        evidence = item.document["evidence"][0]["id"]
        assert evidence.endswith(reverse("results:verify_code", args=[award.code]))
        assert "dossier" not in json.dumps(item.document["evidence"])


def test_certification_credential_carries_level_code_and_dates() -> None:
    config = {"codes": {"pix-plus-edu": {"certification": "RS5737"}}}
    jc = certified_campaign()
    award = Award.objects.get()
    with override_settings(CERTEVAL_CREDENTIALS=config):
        item = credential_for(award)
    document = item.document
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Certification"
    assert achievement["humanCode"] == "RS5737"
    assert "otherIdentifiers" not in achievement  # outside the signed graph of context 3.0.3
    result = document["credentialSubject"]["result"][0]
    assert result["achievedLevel"].endswith("#certification-niveau-confirme")
    assert result["achievedLevel"].count("#") == 1
    levels = achievement["resultDescription"][0]["rubricCriterionLevel"]
    assert {"Confirmé"} <= {level["name"] for level in levels}
    # Midnight in Paris, with its offset (+01:00 in winter, +02:00 in summer).
    assert (
        document["validFrom"]
        == datetime.combine(award.valid_from, time.min, ZoneInfo("Europe/Paris")).isoformat()
    )
    assert "validUntil" not in document  # no validity limit in this référentiel
    assert document["issuer"]["id"] == "http://127.0.0.1:8000/openbadges/issuer"
    status = document["credentialStatus"]
    assert status["statusListIndex"] == str(award.status_index)
    assert status["statusListCredential"] == "http://127.0.0.1:8000/openbadges/status/0"
    identifiers = document["credentialSubject"]["identifier"]
    assert identifiers[0]["identityHash"] == jc.enrolments[0].candidate.display_name
    assert identifiers[1]["identityHash"].startswith("sha256$") and identifiers[1]["hashed"]
    # Asking again returns the same credential (signed once).
    assert credential_for(award).pk == item.pk


def test_revocation_sets_the_bit_and_verification_fails() -> None:
    jc = certified_campaign()
    award = Award.objects.get()
    item = credential_for(award)
    assert verify_offline(item.jwt).ok
    award_revoke(award, jc.organiser, "Fraude établie")
    for text in (item.jwt, json.dumps(item.document)):
        assert verify_offline(text).reasons == ["status: revoked by its issuer"]
    response = Client().get(reverse("results:credential_status_list", args=[0]))
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    published = response.json()
    assert published["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    bits = status_list.decode(published["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == 131072 and status_list.set_indexes(bits) == {award.status_index}
    assert published["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert Client().get(reverse("results:credential_status_list", args=[1])).status_code == 404


def test_rotation_keeps_old_credentials_valid_and_publishes_every_key() -> None:
    certified_campaign()
    award = Award.objects.get()
    old = credential_for(award)
    old_ed, old_rsa = keys_ensure()
    new_ed, new_rsa = keys_rotate(None)
    assert IssuerKey.objects.filter(retired_at__isnull=True).count() == 2
    assert verify_offline(old.jwt).ok and verify_offline(json.dumps(old.document)).ok
    Credential.objects.all().delete()
    fresh = credential_for(award)
    assert fresh.ed25519_key == new_ed and fresh.rsa_key == new_rsa
    assert fresh.document["proof"][0]["verificationMethod"].endswith(new_ed.kid)
    controller = Client().get(reverse("results:credential_keys")).json()
    assert [m["publicKeyMultibase"] for m in controller["verificationMethod"]] == [old_ed.kid, new_ed.kid]
    assert controller["assertionMethod"] == [m["id"] for m in controller["verificationMethod"]]
    jwks = Client().get(reverse("results:credential_jwks")).json()["keys"]
    kids = {key["kid"] for key in jwks}
    assert f"http://127.0.0.1:8000/openbadges/issuer/jwk/{old_rsa.kid}" in kids
    single = Client().get(reverse("results:credential_jwk", args=[new_rsa.kid])).json()
    assert single["kty"] == "RSA" and "d" not in single
    profile = Client().get(reverse("results:credential_issuer")).json()
    assert profile["id"] == "http://127.0.0.1:8000/openbadges/issuer" and profile["type"] == ["Profile"]


def test_private_keys_are_encrypted_under_the_key_secret() -> None:
    ed25519, _rsa = keys_ensure()
    assert "PRIVATE" not in ed25519.private_encrypted
    with (
        override_settings(CERTEVAL_CREDENTIALS={"key_secret": "another secret"}),
        pytest.raises(KeyStoreError),
    ):
        ed25519_private(ed25519)


def test_holder_downloads_json_jwt_and_a_baked_png() -> None:
    jc = certified_campaign()
    award = Award.objects.get()
    client = Client()
    client.force_login(jc.enrolments[0].candidate.user)
    json_response = client.get(reverse("results:credential_json", args=[award.pk]))
    assert json_response.status_code == 200 and "attachment" in json_response["Content-Disposition"]
    assert verify_offline(json_response.content.decode()).ok
    token = client.get(reverse("results:credential_jwt", args=[award.pk])).content.decode()
    png = client.get(reverse("results:credential_png", args=[award.pk]))
    assert png["Content-Type"] == "image/png"
    assert baking.extract(png.content) == token and verify_offline(token).ok
    other = Client()
    other.force_login(UserFactory())
    assert other.get(reverse("results:credential_json", args=[award.pk])).status_code == 404


def test_verify_command_exits_0_or_1_with_the_reason(tmp_path: Path, capsys) -> None:
    jc = certified_campaign()
    award = Award.objects.get()
    item = credential_for(award)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(item.document))
    call_command("credentials", "verify", str(good))
    assert "VALID (json)" in capsys.readouterr().out
    tampered = dict(item.document, name="Un autre diplôme")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(tampered))
    with pytest.raises(SystemExit) as exit_info:
        call_command("credentials", "verify", str(bad))
    assert exit_info.value.code == 1
    assert "altered or wrong key" in capsys.readouterr().err
    baked = tmp_path / "badge.png"
    baked.write_bytes(baking.bake(baking.plain_badge(32), item.jwt))
    call_command("credentials", "verify", str(baked), "--json")
    assert json.loads(capsys.readouterr().out)["valid"] is True
    award_revoke(award, jc.organiser, "Erreur de saisie")
    with pytest.raises(SystemExit):
        call_command("credentials", "verify", str(baked))
    assert "revoked by its issuer" in capsys.readouterr().err


def test_export_and_keys_commands(tmp_path: Path, capsys) -> None:
    jc = title_by_blocs("123")
    call_command("credentials", "export", "--campaign", jc.campaign.slug, "--out", str(tmp_path))
    assert "3 credentials written" in capsys.readouterr().out
    files = sorted(path.suffix for path in tmp_path.iterdir())
    assert files == [".json"] * 3 + [".jwt"] * 3
    call_command("credentials", "keys", "--json")
    keys = json.loads(capsys.readouterr().out)["keys"]
    methods = {row.get("verification_method") for row in keys} | {row.get("kid") for row in keys}
    for path in tmp_path.glob("*.json"):
        document = json.loads(path.read_text())
        assert document["proof"][0]["verificationMethod"] in methods
    for path in tmp_path.glob("*.jwt"):
        header = json.loads(base64.urlsafe_b64decode(path.read_text().split(".")[0] + "=="))
        assert set(header) == {"alg", "kid", "typ"} and header["kid"] in methods
    unpublished = certified_campaign()
    unpublished.campaign.state = "deliberation"
    unpublished.campaign.save(update_fields=["state"])
    with pytest.raises(Exception, match="not published"):
        call_command("credentials", "export", "--campaign", unpublished.campaign.slug, "--out", str(tmp_path))


def test_status_list_document_is_signed_and_verifies() -> None:
    certified_campaign()
    document = status_list_document(0)
    assert data_integrity.verify(document, resolve_ed25519).ok


def test_my_awards_page_links_the_downloads_of_valid_awards_only() -> None:
    jc = certified_campaign()
    award = Award.objects.get()
    client = Client()
    client.force_login(jc.enrolments[0].candidate.user)
    page = client.get(reverse("results:my_awards")).content.decode()
    for name in ("credential_png", "credential_json", "credential_jwt"):
        assert reverse(f"results:{name}", args=[award.pk]) in page
    award_revoke(award, jc.organiser, "Fraude établie")
    page = client.get(reverse("results:my_awards")).content.decode()
    assert reverse("results:credential_json", args=[award.pk]) not in page
    assert client.get(reverse("results:credential_json", args=[award.pk])).status_code == 404


def test_unreadable_keys_answer_503_with_a_french_message_not_a_500() -> None:
    jc = certified_campaign()
    award = Award.objects.get()
    keys_ensure()
    client = Client()
    client.force_login(jc.enrolments[0].candidate.user)
    with override_settings(CERTEVAL_CREDENTIALS={"key_secret": "changed"}):
        response = client.get(reverse("results:credential_png", args=[award.pk]))
    assert response.status_code == 503 and "Réessayez" in response.content.decode()
    assert not Credential.objects.exists()


def test_a_placement_level_becomes_an_assessment_badge_with_its_validity(
    django_capture_on_commit_callbacks,
) -> None:
    enrolment = enrolled()
    run = Run.objects.create(
        candidate=enrolment.candidate,
        kind=Run.Kind.PLACEMENT,
        bank=BANK,
        bank_version=1,
        status=Run.Status.FINISHED,
        campaign=enrolment.campaign,
        enrolment=enrolment,
        proposed_level="avance",
        finished_at=timezone.now(),
        outcome={"level": "avance", "reasons": ["Niveau proposé : Avancé."], "competences": []},
    )
    award = award_issue_for_placement(run, None)
    assert award is not None
    with django_capture_on_commit_callbacks(execute=True):
        sign_on_placement(run, enrolment.candidate.user)
    document = Credential.objects.get(award=award).document
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Assessment" and achievement["id"].endswith("#positionnement")
    assert "humanCode" not in achievement
    assert document["credentialSubject"]["result"][0]["achievedLevel"].endswith(
        "#positionnement-niveau-avance"
    )
    if award.valid_until is not None:
        end = datetime.combine(award.valid_until, time(23, 59, 59), ZoneInfo("Europe/Paris"))
        assert document["validUntil"] == end.isoformat()
    assert schema_errors(document) == [] and verify_offline(json.dumps(document)).ok


def test_status_list_is_signed_once_until_a_revocation_changes_it() -> None:
    cache.clear()
    jc = certified_campaign()
    award = Award.objects.get()
    first = status_list_document(0)
    assert status_list_document(0) == first  # from the cache: same proof
    award_revoke(award, jc.organiser, "Fraude établie")
    after = status_list_document(0)
    assert after["proof"][0]["proofValue"] != first["proof"][0]["proofValue"]
    assert status_list.set_indexes(status_list.decode(after["credentialSubject"]["encodedList"])) == {
        award.status_index
    }
    assert data_integrity.verify(after, resolve_ed25519).ok


def test_the_issuer_profile_validates_against_the_official_profile_schema() -> None:
    path = Path(__file__).resolve().parents[3] / ".." / "shared" / "standards" / "ob3" / "profile.json"
    if not path.exists():
        pytest.skip(f"{path} absent (shared standards folder)")
    schema = json.loads(path.read_text())
    profile = Client().get(reverse("results:credential_issuer")).json()
    validator = Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)
    assert [error.message for error in validator.iter_errors(profile)] == []


def test_the_campaign_awards_page_shows_how_many_badges_are_signed(
    django_capture_on_commit_callbacks,
) -> None:
    jc = certified_campaign()
    client = Client()
    client.force_login(jc.organiser)
    url = reverse("results:campaign_awards", args=[jc.campaign.pk])
    page = client.get(url).content.decode()
    assert "Badges numériques Open Badges 3.0 signés : 0 sur 1." in page
    assert "Signature en arrière-plan : En attente (0 sur 1)." in page
    assert "au premier téléchargement" in page
    credential_for(Award.objects.get())
    page = client.get(url).content.decode()
    assert "signés : 1 sur 1." in page and "au premier téléchargement" not in page
