"""The statistics demo: the 2022-2023 Pix+ Édu campaign imported from ``certeval/data/stats/`` (the
cohort reproduces the tables of seed 004 §5.1, the jurors' answers the shares of §5.2), as
``certeval stats import`` does it, by the demo organiser (who then reads its statistics page).
Idempotent: an existing import is kept."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from django.urls import reverse

from certeval.accounts.models import User
from certeval.core.demo import DemoAccount
from certeval.domain.stats import SchoolYear
from certeval.frameworks.models import FrameworkVersion
from certeval.results.stats_services import StatsImportError, past_campaign_import, past_campaign_of

DATA = Path(__file__).resolve().parents[1] / "data" / "stats"
FRAMEWORK = "pix-plus-edu"
YEAR = "2022-2023"
COHORT = DATA / "pix-plus-edu-2022-2023.csv"
JURORS = DATA / "pix-plus-edu-2022-2023-jurors.csv"


def _existing() -> tuple[str, int] | None:
    version = FrameworkVersion.objects.filter(framework_id=FRAMEWORK).order_by("-version_number").first()
    campaign = past_campaign_of(version, SchoolYear.parse(YEAR)) if version is not None else None
    return (campaign.slug, campaign.pk) if campaign is not None else None


def populate(stdout: TextIO) -> list[DemoAccount]:
    if _existing() is not None:
        return []
    organiser = User.objects.filter(email="organisateur@demo.certeval.fr").first()
    try:
        campaign = past_campaign_import(
            framework_id=FRAMEWORK,
            year_label=YEAR,
            cohort_csv=COHORT.read_text(encoding="utf-8"),
            feedback_csv=JURORS.read_text(encoding="utf-8"),
            by=organiser,
        )
    except StatsImportError as exc:
        stdout.write(f"Statistics demo skipped: {'; '.join(exc.errors)}\n")
        return []
    stdout.write(f"Past campaign {YEAR} imported for its statistics: {campaign.slug}\n")
    return []


def notes() -> list[str]:
    existing = _existing()
    if existing is None:
        return []
    slug, pk = existing
    return [
        f"Statistiques du rapport de jury 2022-2023 (campagne passée importée « {slug} ») : "
        f"{reverse('stats:campaign', args=[pk])} (organisateur@, admin@) ; "
        f"certeval stats report --campaign {slug} --json"
    ]
