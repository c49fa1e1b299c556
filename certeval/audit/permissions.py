"""Who may read the audit log: the whole log is for administrators; a campaign's log is for those who
run the campaign (certeval.campaigns.permissions.campaigns_run)."""

from __future__ import annotations

from certeval.accounts.models import User
from certeval.accounts.permissions import is_administrator


def can_read_global_audit_log(user: User) -> bool:
    return is_administrator(user)
