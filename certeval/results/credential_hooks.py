"""Credentials are signed in the background as soon as awards are issued (registered in
``ResultsConfig.ready``, after the awards' own hooks, so the awards exist when they run)."""

from __future__ import annotations

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, CampaignState
from certeval.results.credential_tasks import award_sign_later, batch_start
from certeval.results.models import Award
from certeval.testing.models import Run


def sign_on_publication(campaign: Campaign, state: str, by: User | None) -> None:
    if state == CampaignState.PUBLISHED and Award.objects.filter(campaign=campaign).exists():
        batch_start(campaign, by)


def sign_on_placement(run: Run, by: User) -> None:
    award = Award.objects.filter(source_run=run).first()
    if award is not None:
        award_sign_later(award)
