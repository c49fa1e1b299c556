"""What the result page adds for a published decision (docs/results.md, « Campaign dashboard and
publication »): the jury's comments per competence (or bloc, domain of the score sheet, item of the
grid), and, for a candidate who is not certified, what stays valid and how to ask for a review.

- What stays valid: the automated result the decision used, until the end of its validity
  (``rules.automated.validity_years``, 3 years for Pix+ Édu, seed 004 §6.3.1); for a title by blocs,
  each bloc the jury validated, for ``rules.final.block_validity_years`` years (no end when null).
- The review (« recours »): the procedure, the contact and the deadline come from the setting
  ``CERTEVAL_REVIEW_REQUEST`` (defaults in ``review_defaults.py``); the deadline counts from the
  publication of the candidate's result (their session's, else the campaign's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.campaigns.models import CampaignState, CampaignTransition, Enrolment
from certeval.campaigns.prerequisites import automated_validity_years
from certeval.domain.rules.dates import valid_until
from certeval.domain.rules.deliberation import BLOCKS, COMPETENCES
from certeval.frameworks.selectors import framework_of
from certeval.juries.models import Deliberation, OralSlot
from certeval.juries.selectors import deliberation_outcome, deliberation_verdicts, dossier_grid, oral_sheet
from certeval.results.models import SessionPublication
from certeval.results.review_defaults import DEFAULT_REVIEW_REQUEST

NOT_CERTIFIED = (
    Deliberation.Outcome.ADJOURNED,
    Deliberation.Outcome.NOT_CERTIFIED,
    Deliberation.Outcome.INELIGIBLE,
)


@dataclass(frozen=True)
class ReviewRequest:
    procedure: str
    contact: str
    days: int
    deadline: date | None  # None when the publication date is unknown

    @property
    def passed(self) -> bool:
        return self.deadline is not None and self.deadline < timezone.localdate()


@dataclass(frozen=True)
class Feedback:
    comments: list[tuple[str, str]]  # (competence, bloc, domain or item; the jury's comment)
    still_valid: list[tuple[str, str]]  # (what; until when, in words)
    review: ReviewRequest | None  # only for a candidate who is not certified


def review_settings() -> dict[str, Any]:
    return DEFAULT_REVIEW_REQUEST | dict(getattr(settings, "CERTEVAL_REVIEW_REQUEST", {}) or {})


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _comments(enrolment: Enrolment, deliberation: Deliberation) -> list[tuple[str, str]]:
    framework, rules = framework_of(enrolment.campaign.framework_version)
    kind = deliberation_outcome(deliberation).kind
    notes = deliberation.verdict_comments or {}
    rows: list[tuple[str, str]] = []
    if kind == COMPETENCES:
        rows = [(f"{c.id} — {c.title}", notes.get(c.id, "")) for c in framework.competences]
    elif kind == BLOCKS:
        rows = [
            (_("Bloc %(id)s — %(title)s") % {"id": d.id, "title": d.title}, notes.get(d.id, ""))
            for d in framework.domains
            if d.kind == "bloc"
        ]
        rows.append((_("Entretien final"), notes.get("final_interview", "")))
    else:
        domains = {d.id: f"{d.id}. {d.title}" for d in framework.domains}
        sheet = oral_sheet(framework, rules)
        rows = [
            (domains.get(d, d), deliberation.oral_comments.get(d, ""))
            for d in (sheet.domains if sheet is not None else ())
        ]
        grid = dossier_grid(framework, rules)
        rows += [
            (f"{item.id} {item.title}", deliberation.item_comments.get(item.id, ""))
            for phase in grid.phases
            for item in phase.items
        ]
    return [(label, str(comment).strip()) for label, comment in rows if str(comment).strip()]


def _still_valid(enrolment: Enrolment, deliberation: Deliberation) -> list[tuple[str, str]]:
    document = enrolment.campaign.framework_version.document
    framework, _rules = framework_of(enrolment.campaign.framework_version)
    labels = {level.id: level.label for level in framework.levels}
    rows: list[tuple[str, str]] = []
    automated = deliberation_outcome(deliberation).automated
    if automated is not None:
        years = automated_validity_years(document)
        what = _("Volet automatisé — niveau %(level)s, obtenu le %(on)s") % {
            "level": labels.get(automated.level, automated.level),
            "on": _day(automated.obtained_on),
        }
        until = (
            _("valable jusqu'au %(day)s") % {"day": _day(valid_until(automated.obtained_on, years))}
            if years is not None
            else _("sans limite de durée")
        )
        rows.append((what, until))
    verdicts = deliberation_verdicts(deliberation)
    final = (document.get("rules") or {}).get("final") or {}
    block_years = final.get("block_validity_years")
    titles = {d.id: d.title for d in framework.domains if d.kind == "bloc"}
    for block_id, status in verdicts.blocks.items():
        if not status.validated:
            continue
        on = status.on or timezone.localdate(deliberation.validated_at or timezone.now())
        what = _("Bloc %(id)s — %(title)s, validé le %(on)s") % {
            "id": block_id,
            "title": titles.get(block_id, ""),
            "on": _day(on),
        }
        until = (
            _("valable jusqu'au %(day)s") % {"day": _day(valid_until(on, int(block_years)))}
            if block_years is not None
            else _("acquis sans limite de durée")
        )
        rows.append((what, until))
    return rows


def published_at(enrolment: Enrolment) -> datetime | None:
    """When the candidate's result was published: their session's publication, else the campaign's."""
    if enrolment.session_id is not None:
        publication = SessionPublication.objects.filter(session_id=enrolment.session_id).first()
        if publication is not None:
            return publication.published_at
    transition = (
        CampaignTransition.objects.filter(campaign_id=enrolment.campaign_id, to_state=CampaignState.PUBLISHED)
        .order_by("-at")
        .first()
    )
    return None if transition is None else transition.at


def review_request(enrolment: Enrolment) -> ReviewRequest:
    values = review_settings()
    days = int(values["deadline_days"])
    published = published_at(enrolment)
    return ReviewRequest(
        procedure=str(values["procedure"]),
        contact=str(values.get("contact") or ""),
        days=days,
        deadline=None if published is None else timezone.localdate(published) + timedelta(days=days),
    )


def candidate_feedback(enrolment: Enrolment, slot_id: int) -> Feedback:
    """The comments, what stays valid and the review of the candidate's published decision (the
    caller has checked that it is published: ``selectors.candidate_result`` returned it)."""
    slot = OralSlot.objects.get(pk=slot_id)
    deliberation = slot.deliberations.filter(state=Deliberation.State.VALIDATED).order_by("-number").first()
    if deliberation is None:
        return Feedback([], [], None)
    failed = deliberation.outcome in NOT_CERTIFIED
    return Feedback(
        comments=_comments(enrolment, deliberation),
        still_valid=_still_valid(enrolment, deliberation) if failed else [],
        review=review_request(enrolment) if failed else None,
    )
