"""Background signing of credentials, queued once the transaction that issued the awards commits and
run by the task worker (``certeval db_worker``; immediate in tests)."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.tasks import task

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign
from certeval.results.credential_services import batch_run, campaign_awards, credential_for
from certeval.results.models import Award, CredentialBatch


@task()
def sign_campaign_credentials(batch_id: int) -> None:
    """Sign the missing credentials of a campaign's awards, recording progress on the batch."""
    batch_run(batch_id)


@task()
def sign_award_credential(award_id: int) -> None:
    award = Award.objects.filter(pk=award_id).first()
    if award is not None:
        credential_for(award)


def batch_start(campaign: Campaign, by: User | None = None) -> CredentialBatch:
    """Queue the signing of a campaign's missing credentials (run after the transaction commits)."""
    total = campaign_awards(campaign).filter(credential__isnull=True).count()
    batch = CredentialBatch.objects.create(
        campaign=campaign, requested_by=by if by is not None and by.is_authenticated else None, total=total
    )
    transaction.on_commit(partial(sign_campaign_credentials.enqueue, batch.pk))
    return batch


def award_sign_later(award: Award) -> None:
    transaction.on_commit(partial(sign_award_credential.enqueue, award.pk))
