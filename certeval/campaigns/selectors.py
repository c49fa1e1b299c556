"""Reads about campaigns (the caller has already checked permissions)."""

from __future__ import annotations

from certeval.campaigns.models import Academy, Campaign


def academy_group_names(campaign: Campaign) -> list[list[str]]:
    """The campaign's groups of academies by name; a code with no academy is shown as it is."""
    codes = {code for group in campaign.academy_groups for code in group}
    names = dict(Academy.objects.filter(code__in=codes).values_list("code", "name"))
    return [[names.get(code, code) for code in group] for group in campaign.academy_groups]
