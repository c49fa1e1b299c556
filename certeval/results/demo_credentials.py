"""Demo of the Open Badges 3.0 credentials: the issuer's keys exist and every demo award has its
signed credential (both proofs). Idempotent: awards that already have one are skipped."""

from __future__ import annotations

from typing import TextIO

from certeval.core.demo import DemoAccount
from certeval.results.credential_keys import keys_ensure
from certeval.results.credential_services import credentials_sign
from certeval.results.models import Award
from certeval.results.selectors import RESULT_STATES


def populate(stdout: TextIO) -> list[DemoAccount]:
    keys_ensure()
    awards = Award.objects.select_related("candidate", "framework_version", "campaign").order_by("pk")
    signed = credentials_sign(awards)
    stdout.write(f"Open Badges credentials: {signed} signed ({awards.count()} awards).\n")
    return []


def notes() -> list[str]:
    award = (
        Award.objects.filter(campaign__state__in=RESULT_STATES, revoked_at__isnull=True)
        .select_related("campaign")
        .first()
    )
    if award is None or award.campaign is None:
        return []
    return [
        "Open Badges 3.0: `certeval credentials export --campaign "
        f"{award.campaign.slug} --out openbadges-demo` then `certeval credentials verify "
        f"openbadges-demo/{award.grouped_code}.json` (or the .jwt, or the PNG downloaded from "
        "« Mes attestations »); `certeval credentials keys --json` lists the issuer's keys."
    ]
