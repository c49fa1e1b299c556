"""``{% prep_links enrolment %}``: the candidate's preparation links (guide, peer review)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from certeval.campaigns.models import Enrolment
from certeval.dossiers.prep_links import render_links

register = template.Library()


@register.simple_tag(takes_context=True)
def prep_links(context: template.Context, enrolment: Enrolment) -> SafeString:
    return render_links(context.get("request"), enrolment)
