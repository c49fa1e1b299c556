"""What the contexts above juries (results) add to them without juries importing them: each registers
its functions in its ``AppConfig.ready`` (with ``certeval.campaigns.hooks.register``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from certeval.accounts.models import User
    from certeval.juries.models import Deliberation

# Called inside the validation's transaction, once the deliberation is saved validated:
# (deliberation, actor). The results context issues the awards of a decision validated after the
# campaign's results were published (a new decision after a review).
DELIBERATION_VALIDATED: list[Callable[[Deliberation, User], None]] = []
