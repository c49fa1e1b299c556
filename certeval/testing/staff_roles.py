"""The item bank's staff role for the second factor (``certeval.accounts.staff``): item writers
(who also review others' items)."""

from __future__ import annotations

from certeval.accounts.models import User
from certeval.testing.models import ItemWriter


def holds_item_bank_role(user: User) -> bool:
    return ItemWriter.objects.filter(user=user).exists()
