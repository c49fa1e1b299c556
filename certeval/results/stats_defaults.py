"""``CERTEVAL_STATS`` — the rules of the statistics pages that the seeds do not state (docs/results.md,
« Statistics of the jury report »). A project's setting is merged over these defaults key by key."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULT_STATS: dict[str, Any] = {
    # The campaign year starts on the 1st of this month (9: the school year, 1 September – 31 August).
    # A live campaign's year is the one that contains its deposit deadline (Paris date); the automated
    # stage counts the results obtained during it.
    "year_start_month": 9,
    # An answer of the jurors' questionnaire (1 « Pas du tout satisfait » … 4 « Très satisfait ») counts
    # as satisfied from this value: « Satisfait » and « Très satisfait ».
    "satisfied_from": 3,
    # Rounding of the rates of §5.1 (stage total over placement-run total): the report rounds to the
    # nearest (237 / 913 → « 26% », 167 / 563 → « 30% »).
    "rate_rounding": "half_up",
    # Rounding of the shares of §5.2: the report truncates (11 satisfied of 14 answers → « 78% »,
    # 13 of 14 → « 92% »).
    "share_rounding": "floor",
}


def stats_settings() -> dict[str, Any]:
    merged = dict(DEFAULT_STATS)
    merged.update(getattr(settings, "CERTEVAL_STATS", {}) or {})
    return merged
