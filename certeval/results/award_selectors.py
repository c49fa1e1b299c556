"""Reads of awards: the holder's list, a campaign's list, and what the public verification shows.

The public verification answers from the code alone and shows only what the holder agreed to
(``show_name``, ``show_level``, ``show_date``); the certification and whether the award is valid,
expired or revoked (with the revocation day) always show. An unknown code and a malformed one get
the same answer (``None``), so the page tells nothing about which codes exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign
from certeval.domain.awards import normalise_code
from certeval.results.award_services import verification_settings
from certeval.results.models import Award


def awards_of_holder(user: User) -> QuerySet[Award]:
    """The user's own awards, newest first."""
    if not user.is_authenticated:
        return Award.objects.none()
    return Award.objects.filter(candidate__user=user).select_related("campaign", "framework_version")


def awards_of_campaign(campaign: Campaign) -> QuerySet[Award]:
    return (
        Award.objects.filter(campaign=campaign)
        .select_related("candidate", "revoked_by")
        .order_by("candidate__birth_name", "candidate__first_names", "kind", "bloc_code")
    )


def verification_url(award: Award) -> str:
    """The absolute address of the award's public verification page (the QR code's target)."""
    site = str(settings.CERTEVAL_SITE_URL).rstrip("/")
    return site + reverse("results:verify_code", args=[award.code])


def award_title(award: Award) -> str:
    """« <certification> » or « <certification> — Bloc n — title »: from the frozen snapshot."""
    snapshot = award.snapshot or {}
    title = str(snapshot.get("certification", ""))
    bloc = str(snapshot.get("bloc_label", ""))
    return f"{title} — {bloc}" if bloc else title


@dataclass(frozen=True)
class PublicAward:
    """What the verification page and API show of an award."""

    code: str
    kind: str
    kind_label: str
    title: str
    status: str  # valid | expired | revoked | not_yet_valid
    holder: str | None
    level: str | None
    awarded_on: date | None
    valid_from: date | None
    valid_until: date | None
    revoked_on: date | None
    has_level: bool  # whether the award has a level at all (hidden or not)


def public_award(award: Award, today: date | None = None) -> PublicAward:
    today = today or timezone.localdate()
    if award.revoked_at is not None:
        status = "revoked"
    elif award.valid_until is not None and award.valid_until < today:
        status = "expired"
    elif award.valid_from > today:
        status = "not_yet_valid"
    else:
        status = "valid"
    level = str((award.snapshot or {}).get("level_label", "")) or None
    return PublicAward(
        code=award.grouped_code,
        kind=award.kind,
        kind_label=str(award.get_kind_display()),
        title=award_title(award),
        status=status,
        holder=award.candidate.display_name if award.show_name else None,
        level=level if award.show_level else None,
        awarded_on=award.awarded_on if award.show_date else None,
        valid_from=award.valid_from if award.show_date else None,
        valid_until=award.valid_until if award.show_date else None,
        revoked_on=timezone.localdate(award.revoked_at) if award.revoked_at is not None else None,
        has_level=level is not None,
    )


def award_by_code(typed: str) -> Award | None:
    """The award of a typed or scanned code (any case, with or without dashes), else None."""
    code = normalise_code(typed)
    if code is None:
        return None
    return Award.objects.select_related("candidate").filter(code=code).first()


# --- throttling of the public look-ups ---------------------------------------------------------------


def _throttle_key(request: HttpRequest) -> str:
    return "award-verify:" + str(request.META.get("REMOTE_ADDR", ""))


def verification_throttled(request: HttpRequest) -> bool:
    """Count one look-up from this client and say whether it is over the limit of the window
    (``CERTEVAL_VERIFICATION``: ``rate_limit`` look-ups per ``rate_window_seconds``). Every look-up
    counts, found or not, so trying codes in bulk is slowed the same way."""
    config = verification_settings()
    limit, window = int(config["rate_limit"]), int(config["rate_window_seconds"])
    key = _throttle_key(request)
    if cache.add(key, 1, timeout=window):
        count = 1
    else:
        try:
            count = int(cache.incr(key))
        except ValueError:  # expired in between
            cache.set(key, 1, timeout=window)
            count = 1
    return count > limit


def retry_after_seconds() -> int:
    return int(verification_settings()["rate_window_seconds"])
