"""What the contexts above campaigns add to it without campaigns importing them: each registers
its functions in its ``AppConfig.ready`` (the dossiers context, for instance, opens a candidate's
dossier at enrolment and closes the deposit with the campaign). Transition guards live in
``certeval.campaigns.guards`` and the automated-result hooks in ``certeval.campaigns.prerequisites``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from django.http import HttpRequest

    from certeval.accounts.models import User
    from certeval.campaigns.models import Campaign, Enrolment, Regroupement, Session

# Called inside the enrolment's transaction, once the enrolment is saved.
ENROLLED: list[Callable[[Enrolment], None]] = []
# Called inside the state change's transaction, once the new state is saved: (campaign, new state, by).
STATE_CHANGED: list[Callable[[Campaign, str, User | None], None]] = []
# Whether the candidate's record is frozen (dossier deposited or closed): prerequisites then no
# longer change. Nothing registered: never frozen.
RECORD_FROZEN: list[Callable[[Enrolment], bool]] = []
# Sections of the enrolment page written by other contexts: (request, enrolment) -> HTML ("" for none).
ENROLMENT_SECTIONS: list[Callable[[HttpRequest, Enrolment], SafeString | str]] = []
# Links of the campaign page to other contexts' pages about it: (request, campaign) -> [(label, url)],
# only those the user may open.
CAMPAIGN_LINKS: list[Callable[[HttpRequest, Campaign], list[tuple[str, str]]]] = []
# Links of a session's page to other contexts' pages or files about it (the session kit of a proctored
# session, for instance): (request, session) -> [(label, url)], only those the user may open.
SESSION_LINKS: list[Callable[[HttpRequest, Session], list[tuple[str, str]]]] = []
# What a candidate reads about their session on their own pages (« Mes certifications »), written by
# other contexts (the notice of a remote session): (request, enrolment) -> HTML ("" for none).
CANDIDATE_NOTICES: list[Callable[[HttpRequest, Enrolment], SafeString | str]] = []
# The final decisions of campaigns, written by the context that takes them (the juries):
# (campaign ids) -> {campaign id: {outcome: number of candidates}}. Nothing registered: no decisions.
DECISION_OUTCOMES: list[Callable[[list[int]], dict[int, dict[str, int]]]] = []

# Called inside the transaction that created or changed a regroupement inter-académique (name,
# academies, president): (regroupement, by). The juries context gives its groups of juries the
# regroupement's president.
REGROUPEMENT_SAVED: list[Callable[[Regroupement, User], None]] = []

# Links of a regroupement's row (regroupements page) to other contexts' pages about it (its juries
# and meetings): (request, regroupement) -> [(label, url)], only those the user may open.
REGROUPEMENT_LINKS: list[Callable[[HttpRequest, Regroupement], list[tuple[str, str]]]] = []


def register[F](registry: list[F], function: F) -> None:
    """Add ``function`` once (``ready`` may run more than once in tests)."""
    if function not in registry:
        registry.append(function)


def decision_outcomes(campaign_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per campaign, the number of candidates per final decision outcome, from every registered source."""
    totals: dict[int, dict[str, int]] = {campaign_id: {} for campaign_id in campaign_ids}
    for source in DECISION_OUTCOMES:
        for campaign_id, counts in source(campaign_ids).items():
            for outcome, count in counts.items():
                totals[campaign_id][outcome] = totals[campaign_id].get(outcome, 0) + count
    return totals


def record_frozen(enrolment: Enrolment) -> bool:
    return any(check(enrolment) for check in RECORD_FROZEN)
