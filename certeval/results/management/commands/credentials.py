"""``certeval credentials``: the Open Badges 3.0 credentials of awards.

- ``verify FILE``: check a credential offline — a ``.json`` (Data Integrity proof), a ``.jwt``
  (VC-JWT) or a baked ``.png`` — against the local keys and status lists: proof, official schema,
  validity dates, revocation. Prints each check; exits 0 when all pass, 1 with the reasons otherwise.
- ``export --campaign SLUG --out DIR``: every credential of a published campaign's awards (signing
  those missing), ``<code>.json`` with its Data Integrity proof and ``<code>.jwt``.
- ``keys [--json]``: the issuer's public keys (Multikey and JWK) with the ids proofs and JWT headers
  refer to (created on first use).
- ``rotate-keys``: retire the active keys and create new ones (retired keys stay published).
- ``sign [--campaign SLUG]``: sign the credentials that awards still lack, now.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certeval.campaigns.models import Campaign
from certeval.results.credential_keys import keys_ensure, keys_listing, keys_rotate
from certeval.results.credential_services import (
    CredentialError,
    campaign_awards,
    campaign_export,
    credentials_sign,
    read_credential_file,
    verify_offline,
)
from certeval.results.models import Award


def _campaign(slug: str) -> Campaign:
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        raise CommandError(f"unknown campaign {slug!r}", returncode=2)
    return campaign


class Command(BaseCommand):
    help = "Open Badges 3.0 credentials: verify, export, keys, rotate-keys, sign."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser("verify", help="verify a credential file offline (exit 0 valid, 1 not)")
        check.add_argument("file", type=Path, help="a .json, .jwt or baked .png credential")
        check.add_argument("--json", action="store_true", help="print the checks as JSON")
        dump = actions.add_parser("export", help="write the credentials of a published campaign")
        dump.add_argument("--campaign", required=True, help="the campaign's slug")
        dump.add_argument("--out", required=True, type=Path, help="the directory to write into")
        keys = actions.add_parser("keys", help="print the issuer's public keys")
        keys.add_argument("--json", action="store_true", help="as JSON")
        actions.add_parser("rotate-keys", help="retire the active keys and create new ones")
        sign = actions.add_parser("sign", help="sign the credentials awards still lack")
        sign.add_argument("--campaign", help="only this campaign's awards (slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify":
            self._verify(options["file"], options["json"])
        elif action == "export":
            self._export(options["campaign"], options["out"])
        elif action == "keys":
            self._keys(options["json"])
        elif action == "rotate-keys":
            ed25519, rsa = keys_rotate(None)
            self.stdout.write(
                f"new keys: Ed25519 {ed25519.kid}, RSA {rsa.kid}; the previous ones are retired."
            )
        else:
            awards = (
                campaign_awards(_campaign(options["campaign"]))
                if options["campaign"]
                else Award.objects.all()
            )
            count = credentials_sign(awards.select_related("candidate", "framework_version", "campaign"))
            self.stdout.write(f"{count} credentials signed.")

    def _verify(self, path: Path, as_json: bool) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        try:
            text = read_credential_file(path)
        except CredentialError as error:
            self.stderr.write(f"INVALID: {error}")
            sys.exit(1)
        result = verify_offline(text)
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "valid": result.ok,
                        "form": result.form,
                        "checks": [{"name": c.name, "ok": c.ok, "reason": c.reason} for c in result.checks],
                    },
                    indent=2,
                )
            )
        else:
            for check in result.checks:
                self.stdout.write(f"{'ok ' if check.ok else 'FAIL'} {check.name}: {check.reason}")
        if not result.ok:
            self.stderr.write("INVALID: " + "; ".join(result.reasons))
            sys.exit(1)
        if not as_json:
            self.stdout.write(f"VALID ({result.form}): {result.credential.get('id', '')}")

    def _export(self, slug: str, out: Path) -> None:
        try:
            written = campaign_export(_campaign(slug), out)
        except CredentialError as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(f"{len(written) // 2} credentials written to {out} (.json and .jwt each).")

    def _keys(self, as_json: bool) -> None:
        keys_ensure()
        rows = keys_listing()
        if as_json:
            self.stdout.write(json.dumps({"keys": rows}, indent=2))
            return
        for row in rows:
            state = f"retired {row['retired_at']}" if row["retired_at"] else "active"
            ident = row.get("verification_method") or row.get("kid")
            self.stdout.write(f"{row['algorithm']:8} {state:40} {ident}")
