"""Reads about campaigns (the caller has already checked permissions)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from certeval.campaigns.models import Academy, Campaign, Regroupement


def regroupements_of(campaign: Campaign, among: QuerySet[Regroupement] | None = None) -> list[Regroupement]:
    """The campaign's regroupements inter-académiques (``among``: only those the reader may see),
    each with its academies by name and its president."""
    found = (
        Regroupement.objects.filter(campaign=campaign) if among is None else among.filter(campaign=campaign)
    )
    return list(
        found.select_related("president").prefetch_related(
            Prefetch("academies", queryset=Academy.objects.order_by("name"))
        )
    )


def academy_groups(campaign: Campaign) -> list[list[str]]:
    """The academy codes of each regroupement (the API's former ``academy_groups`` list)."""
    return [[a.code for a in regroupement.academies.all()] for regroupement in regroupements_of(campaign)]
