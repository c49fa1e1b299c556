"""The score-sheet demo: in the 2025-2026 Pix+ Édu campaign, one candidate not yet scored is
scored by every juror of their jury — the dossier grid and the oral score sheet — with the jurors
agreeing on most criteria and domains and disagreeing on a few, all submitted, no deliberation yet.
The demo president (president@) opens the harmonisation page and finds the agreed values
pre-filled and the disagreements marked. Idempotent: once such a candidate exists, nothing changes.
"""

from __future__ import annotations

from typing import TextIO

from django.urls import reverse

from certeval.campaigns.demo import MAIN_TITLE
from certeval.campaigns.models import Campaign
from certeval.core.demo import DemoAccount
from certeval.frameworks.selectors import framework_of
from certeval.juries import selectors
from certeval.juries.models import GridScore, OralSlot
from certeval.juries.services.scoring import grid_score_save, grid_score_submit

# Per juror (by position in the jury): the rank each criterion's level is moved by, so that the
# jurors disagree on these criteria only (every other criterion: the same level for all).
DISAGREE_CRITERIA = {"1.2": (0, 1, 0), "4.1": (0, -1, 1), "7.2": (1, 0, 0)}
DISAGREE_DOMAINS = {"3": (0, 1, 1)}
CENTRE = 2  # Avancé


def _slot(campaign: Campaign) -> OralSlot | None:
    """The demo's slot: already scored with oral sheets (re-run), else the first one nobody scored
    that the demo juror (jure@) does not sit on."""
    done = GridScore.objects.filter(slot__jury__campaign=campaign).exclude(oral_levels={}).first()
    if done is not None:
        return None
    return (
        OralSlot.objects.filter(jury__campaign=campaign, grid_scores__isnull=True, deliberations__isnull=True)
        .exclude(jury__members__juror__user__email="jure@demo.certeval.fr")
        .select_related("jury", "enrolment__candidate")
        .order_by("starts_at", "pk")
        .first()
    )


def _shifted(ids: list[str], shift: int) -> str:
    return ids[min(len(ids) - 1, max(0, CENTRE + shift))]


def populate(stdout: TextIO) -> list[DemoAccount]:
    campaign = Campaign.objects.filter(title=MAIN_TITLE).first()
    if campaign is None:
        return []
    slot = _slot(campaign)
    if slot is None:
        return []
    framework, rules = framework_of(campaign.framework_version)
    ids = [level.id for level in framework.levels]
    grid = selectors.dossier_grid(framework, rules)
    sheet = selectors.oral_sheet(framework, rules)
    criteria = [c.id for phase in grid.phases for item in phase.items for c in item.criteria]
    domains = list(sheet.domains) if sheet is not None else []
    members = [m.juror for m in slot.jury.members.select_related("juror__user").order_by("pk")]
    for position, juror in enumerate(members):
        levels = {c: _shifted(ids, DISAGREE_CRITERIA.get(c, (0, 0, 0))[position % 3]) for c in criteria}
        levels["8.2"] = GridScore.NON_OBSERVABLE
        oral = {d: _shifted(ids, DISAGREE_DOMAINS.get(d, (0, 0, 0))[position % 3]) for d in domains}
        oral["5"] = ""  # not evaluated by anyone: left empty
        grid_score_save(
            slot=slot,
            juror=juror,
            levels=levels,
            comments={"4": "Environnement numérique préparé ; alternative prévue ?"},
            oral_levels=oral,
            oral_comments={"3": "Scénario modulable présenté avec des traces."},
        )
        grid_score_submit(slot=slot, juror=juror, actor=juror.user)
    stdout.write(
        f"Score sheets: {slot.enrolment.candidate.display_name} scored by {len(members)} jurors "
        f"(disagreements on {', '.join(DISAGREE_CRITERIA)} and domain 3), harmonisation at "
        f"{reverse('juries:harmonise', args=[slot.pk])}\n"
    )
    return []


def notes() -> list[str]:
    score = GridScore.objects.exclude(oral_levels={}).select_related("slot").first()
    if score is None:
        return []
    return [
        "Consensus pre-fill: the demo jury president opens "
        f"{reverse('juries:harmonise', args=[score.slot_id])}: agreed criteria and domains are pre-filled, "
        "the disagreements (1.2, 4.1, 7.2, domain 3) are marked with each juror's level."
    ]
