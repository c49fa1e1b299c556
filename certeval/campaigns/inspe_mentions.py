"""The mentions of the master MEEF (seed 002, « Selon les mentions, l'activité peut être de nature
différente ») read from the référentiel's ``extras.mentions``: chosen at enrolment, they set the
kind of professional activity the teachers evaluate. Mention 4 is left out when the campaign's
``mention_4_included`` setting is off (default on: seed 002's calendar puts every master MEEF
student in the scheme from 2024-2025; the 2022-2023 experiment left mention 4 out)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from certeval.campaigns.models import Campaign, Enrolment


def mentions_of(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The référentiel's mentions (``[{id, activity, text, note?}]``), empty when it has none."""
    extras = document.get("extras") or {}
    mentions = extras.get("mentions") or []
    return [dict(m) for m in mentions if isinstance(m, Mapping) and "id" in m]


def has_mentions(campaign: Campaign) -> bool:
    return bool(mentions_of(campaign.framework_version.document))


def offered_mentions(campaign: Campaign) -> list[dict[str, Any]]:
    """The mentions a student may choose on this campaign (mention 4 only when the setting allows)."""
    return [
        m
        for m in mentions_of(campaign.framework_version.document)
        if m["id"] != 4 or campaign.mention_4_included
    ]


def mention_label(mention: Mapping[str, Any]) -> str:
    return _("Mention %(n)s — %(activity)s") % {"n": mention["id"], "activity": mention.get("activity", "")}


def mention_choices(campaign: Campaign) -> list[tuple[str, str]]:
    return [(str(m["id"]), mention_label(m)) for m in offered_mentions(campaign)]


def expected_activity(campaign: Campaign, mention: int | None) -> dict[str, Any] | None:
    """The mention of an enrolment with the kind of activity it expects, or None."""
    for m in mentions_of(campaign.framework_version.document):
        if m["id"] == mention:
            return m
    return None


def mention_refusal(campaign: Campaign, training: str, mention: int | None) -> str:
    """Why a mention cannot be recorded for an enrolment (French), or ``""``."""
    if not has_mentions(campaign):
        return _("Ce référentiel n'a pas de mentions.") if mention is not None else ""
    if mention is None:
        if training == Enrolment.Training.INITIAL:
            return _("Indiquez la mention du master MEEF de l'étudiant (formation initiale).")
        return ""
    if mention not in {m["id"] for m in offered_mentions(campaign)}:
        if mention == 4:
            return _("La mention 4 n'est pas proposée dans cette campagne.")
        return _("Mention inconnue du référentiel.")
    return ""
