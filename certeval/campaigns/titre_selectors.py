"""Reads of the title by blocs (seed 003, docs/certifications/titre.md): the framework's bloc
rule, a person's bloc record (the blocs they hold, from any session or campaign on the same
référentiel), the blocs an enrolment presents and the épreuves and oral length that follow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certeval.campaigns.models import Campaign, Candidate, Enrolment, HeldBloc
from certeval.domain.framework import Framework
from certeval.domain.rules.constraints import thousands
from certeval.domain.rules.final import BlockRule
from certeval.domain.rules.titre_blocs import Epreuve, bloc_epreuves, oral_minutes
from certeval.frameworks.selectors import framework_of


def bloc_rule(campaign: Campaign) -> tuple[Framework, BlockRule] | None:
    """The framework and its bloc rule when the campaign's référentiel is a title by blocs."""
    document = campaign.framework_version.document or {}
    if ((document.get("rules") or {}).get("final") or {}).get("kind") != "blocks":
        return None
    framework, rules = framework_of(campaign.framework_version)
    if isinstance(rules.final, BlockRule):
        return framework, rules.final
    return None


def bloc_labels(framework: Framework) -> dict[str, str]:
    """« Bloc n — title » of each bloc of the framework."""
    return {
        d.id: gettext("Bloc %(id)s — %(title)s") % {"id": d.id, "title": d.title}
        for d in framework.domains
        if d.kind == "bloc"
    }


def held_blocs(candidate: Candidate, framework_code: str) -> list[HeldBloc]:
    """The person's bloc record on a référentiel, bloc by bloc."""
    return list(
        HeldBloc.objects.filter(candidate=candidate, framework_code=framework_code)
        .select_related("campaign", "session")
        .order_by("bloc")
    )


def record_dates(enrolment: Enrolment) -> dict[str, date]:
    """bloc → day validated, of the blocs the person held on the enrolment's référentiel when they
    made this enrolment: those validated in their earlier enrolments (sessions or campaigns). Blocs
    this enrolment validates are left out (a new deliberation on it decides them again), and so are
    blocs validated later, so a past session reads as it was."""
    return held_dates(
        enrolment.candidate_id,
        enrolment.campaign.framework_version.framework_id,
        exclude_enrolment=enrolment.pk,
        enrolled_before=enrolment.created_at,
    )


def held_dates(
    candidate_id: int,
    framework_code: str,
    *,
    exclude_enrolment: int | None = None,
    enrolled_before: datetime | None = None,
) -> dict[str, date]:
    rows = HeldBloc.objects.filter(candidate_id=candidate_id, framework_code=framework_code)
    if exclude_enrolment is not None:
        rows = rows.exclude(enrolment_id=exclude_enrolment)
    if enrolled_before is not None:
        rows = rows.filter(enrolment__created_at__lt=enrolled_before)
    return dict(rows.values_list("bloc", "validated_on"))


def enrolled_blocs(enrolment: Enrolment, rule: BlockRule | None = None) -> tuple[str, ...]:
    """The blocs the enrolment presents: those chosen, in the framework's order; none chosen means
    every bloc not yet held (an enrolment made before blocs were chosen, or by import)."""
    if rule is None:
        found = bloc_rule(enrolment.campaign)
        if found is None:
            return ()
        rule = found[1]
    chosen = {str(b) for b in enrolment.blocs or []}
    if chosen:
        return tuple(b for b in rule.blocks if b in chosen)
    held = record_dates(enrolment)
    return tuple(b for b in rule.blocks if b not in held)


@dataclass(frozen=True)
class TitrePlan:
    """What an enrolment on a title by blocs presents: the blocs, their épreuves, whether the final
    interview is taken in this session (every bloc held or presented), and the oral's length."""

    framework: Framework
    rule: BlockRule
    blocs: tuple[str, ...]
    held: dict[str, date]
    epreuves: tuple[Epreuve, ...]
    with_final_interview: bool
    oral_minutes: int


def oral_base_minutes(enrolment: Enrolment) -> int:
    """The candidate's oral before extra time: the campaign's duration or, for a title by blocs,
    that of the oral épreuves of the blocs presented (and of the final interview when taken)."""
    plan = titre_plan(enrolment)
    if plan is not None and plan.oral_minutes:
        return plan.oral_minutes
    return enrolment.campaign.oral_duration_minutes


def titre_plan(enrolment: Enrolment) -> TitrePlan | None:
    found = bloc_rule(enrolment.campaign)
    if found is None:
        return None
    framework, rule = found
    blocs = enrolled_blocs(enrolment, rule)
    held = record_dates(enrolment)
    final = rule.final_interview and set(rule.blocks) <= set(blocs) | set(held)
    minutes = oral_minutes(
        framework, blocs, minutes=settings.CERTEVAL_TITRE_ORAL_MINUTES, with_final_interview=final
    )
    return TitrePlan(framework, rule, blocs, held, bloc_epreuves(framework, blocs), final, minutes)


EPREUVE_HEADERS = [_("Bloc"), _("Épreuve"), _("Modalité"), _("À déposer"), _("Limites")]


def epreuve_rows(plan: TitrePlan, labels: dict[str, str]) -> list[list[str]]:
    """The épreuves of the blocs presented, as people read them: bloc, épreuve, written or oral,
    what is deposited, limits and jury size."""
    rows = []
    for e in plan.epreuves:
        limits = []
        if e.component.limits.get("pages"):
            limits.append(gettext("%(n)s pages au plus") % {"n": e.component.limits["pages"]})
        if e.component.limits.get("max_characters"):
            limits.append(
                gettext("%(n)s caractères espaces compris au plus")
                % {"n": thousands(e.component.limits["max_characters"])}
            )
        if e.jury_size:
            limits.append(gettext("jury de %(n)s membres") % {"n": e.jury_size})
        rows.append(
            [
                labels.get(e.bloc, e.bloc),
                e.component.title,
                gettext("Oral devant le jury") if e.oral else gettext("Production écrite déposée"),
                e.component.deliverable or "—",
                ", ".join(limits) or "—",
            ]
        )
    return rows
