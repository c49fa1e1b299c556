"""Guards on campaign state changes, registered by the contexts that know what a state requires.

``campaigns`` does not know what publishing results requires (``results`` does) and imports no
higher context: a context registers, in its ``AppConfig.ready()``, a guard for a target state — a
function ``(campaign, user) -> list of French blockers`` — and, optionally, the sentence a person
confirms before the change (with the counts). ``campaign_transition`` refuses the change while a
guard returns a blocker, and, when a confirmation is registered, until it is given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from certeval.accounts.models import User
    from certeval.campaigns.models import Campaign

TransitionGuard = Callable[["Campaign", "User | None"], list[str]]
TransitionConfirmation = Callable[["Campaign"], str]

_guards: dict[str, list[TransitionGuard]] = defaultdict(list)
_confirmations: dict[str, TransitionConfirmation] = {}


def register_transition_guard(
    target_state: str, guard: TransitionGuard, *, confirmation: TransitionConfirmation | None = None
) -> None:
    """Refuse moving a campaign to ``target_state`` while ``guard`` returns blockers; ``confirmation``
    gives the French sentence the person confirms (registering twice is harmless)."""
    if guard not in _guards[target_state]:
        _guards[target_state].append(guard)
    if confirmation is not None:
        _confirmations[target_state] = confirmation


def transition_blockers(campaign: Campaign, target_state: str, by: User | None) -> list[str]:
    """What is missing before ``campaign`` may move to ``target_state`` (French, empty when nothing)."""
    return [blocker for guard in _guards.get(target_state, ()) for blocker in guard(campaign, by)]


def transition_confirmation(campaign: Campaign, target_state: str) -> str:
    """The sentence to confirm before moving to ``target_state``, or "" when none is asked."""
    confirmation = _confirmations.get(target_state)
    return confirmation(campaign) if confirmation is not None else ""
