"""``{% privacy_notice "enrolment" campaign=campaign %}``: the short privacy notice of one processing
where its data is collected, with a link to the full notice (``/donnees-personnelles/traitements/
<slug>/``) and to « Mes données » (docs/privacy.md, « Notices and register »)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from certeval.core.privacy_notices import controller, processing, retention_rows

register = template.Library()


def notice_url(slug: str, campaign: Any = None) -> str:
    try:
        url = reverse("privacy:notice", args=[slug])
    except NoReverseMatch:  # the privacy context is not installed
        return ""
    if campaign is not None and getattr(campaign, "organisation_id", None):
        url += "?" + urlencode({"campagne": campaign.pk})
    return url


def mine_url() -> str:
    try:
        return reverse("privacy:mine")
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def privacy_notice(context: template.Context, key: str, campaign: Any = None) -> SafeString:
    found = processing(key)
    request = context.get("request")
    data = {
        "processing": found,
        "controller": controller(campaign),
        "retention": retention_rows(found),
        "notice_url": notice_url(found.slug, campaign),
        "mine_url": mine_url(),
        "theme": context.get("theme", "neutre"),
        "signed_in": bool(request is not None and request.user.is_authenticated),
    }
    return SafeString(render_to_string("core/privacy/notice_short.html", data))
