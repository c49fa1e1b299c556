"""Composition by regroupement inter-académique (seed 004, §4.2.1 and §5.1).

When a campaign has regroupements, each one is composed on its own: its candidates (those of its
academies) are heard by juries of its jurors (those of its academies), never from the candidate's
own academy (the rule's inter-academic constraint still holds inside the regroupement). The
candidates and jurors of academies in no regroupement form one more part. The solver runs once per
part; the schedule is stored only when every part has one, otherwise each part's French explanation
names its regroupement. Hand edits may not take a juror or an oral across regroupements.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _

from certeval.campaigns.models import Campaign, Regroupement
from certeval.domain.juries import (
    FEASIBLE,
    INFEASIBLE,
    OPTIMAL,
    UNKNOWN,
    Assignment,
    Explanation,
    Instance,
    Solution,
)
from certeval.juries.explain import explanation_fr
from certeval.juries.models import JuryGroup
from certeval.juries.selectors import CompositionInput


@dataclass(frozen=True)
class Part:
    """The candidates and jurors of one regroupement (None: the academies in no regroupement)."""

    regroupement: Regroupement | None
    instance: Instance

    @property
    def name(self) -> str:
        return self.regroupement.name if self.regroupement is not None else _("Hors regroupement")


def regroupements_by_academy(campaign: Campaign) -> tuple[list[Regroupement], dict[str, Regroupement]]:
    """The campaign's regroupements, and the regroupement of each academy code placed in one."""
    regroupements = list(
        Regroupement.objects.filter(campaign=campaign)
        .select_related("president")
        .prefetch_related("academies")
    )
    return regroupements, {a.code: r for r in regroupements for a in r.academies.all()}


def split(campaign: Campaign, instance: Instance) -> list[Part]:
    """One part per regroupement with candidates (and one for the academies in none, when some of
    their candidates are to be heard); the whole instance when the campaign has no regroupement."""
    regroupements, of_academy = regroupements_by_academy(campaign)
    if not regroupements:
        return [Part(None, instance)]
    parts = []
    for regroupement in [*regroupements, None]:
        candidates = tuple(c for c in instance.candidates if of_academy.get(c.academy) is regroupement)
        if not candidates:
            continue
        jurors = tuple(j for j in instance.jurors if of_academy.get(j.academy) is regroupement)
        parts.append(Part(regroupement, replace(instance, candidates=candidates, jurors=jurors)))
    return parts


def merge(solutions: Sequence[Solution]) -> Solution:
    """One answer for the campaign from the parts' answers: a schedule when every part has one
    (optimal when each is), else the first failing status with every part's explanation."""
    if len(solutions) == 1:
        return solutions[0]
    failed = [s for s in solutions if s.status in (INFEASIBLE, UNKNOWN)]
    wall = sum(s.wall_seconds for s in solutions)
    if failed:
        status = INFEASIBLE if any(s.status == INFEASIBLE for s in failed) else UNKNOWN
        return Solution(
            status=status,
            method="+".join(sorted({s.method for s in failed})),
            explanation=tuple(e for s in failed for e in s.explanation),
            wall_seconds=wall,
        )
    firsts = [s.first_solution_seconds for s in solutions if s.first_solution_seconds is not None]
    return Solution(
        status=OPTIMAL if all(s.status == OPTIMAL for s in solutions) else FEASIBLE,
        method="+".join(sorted({s.method for s in solutions})),
        assignments=tuple(a for s in solutions for a in s.assignments),
        objective=sum(s.objective or 0 for s in solutions),
        bound=sum(s.bound or 0 for s in solutions),
        max_load=max((s.max_load or 0 for s in solutions), default=0),
        teams=sum(s.teams or 0 for s in solutions),
        wall_seconds=wall,
        first_solution_seconds=sum(firsts) if firsts else None,
    )


def reading_delay_fr(earliest: date | None, delay_days: int) -> str:
    """Why no date fits, in French: no juror is available from the first day an oral may take place."""
    day = formats.date_format(earliest, "l j F Y") if earliest is not None else "—"
    return _(
        "Aucun juré n'est disponible à partir du %(day)s, premier jour possible pour les oraux : les "
        "jurés disposent de %(days)s jour(s) après le gel des dossiers pour les lire (réglage « délai de "
        "lecture » de la campagne). Ajoutez des demi-journées de disponibilité à partir de cette date "
        "ou réduisez le délai."
    ) % {"day": day, "days": delay_days}


def crossing_violations(
    edited: Sequence[Assignment],
    regroupement_of: Mapping[str, Regroupement | None],
    names: Mapping[str, str],
) -> list[str]:
    """The edited orals whose jury takes a juror from another regroupement than the candidate's,
    in French (``regroupement_of``: candidate and juror keys → their academy's regroupement)."""
    reasons = []
    for assignment in edited:
        home = regroupement_of.get(assignment.candidate)
        for juror in assignment.jurors:
            other = regroupement_of.get(juror)
            if other is not home:
                reasons.append(
                    _(
                        "%(juror)s (%(theirs)s) ne peut pas entendre %(candidate)s (%(ours)s) : un jury est "
                        "formé des jurés du regroupement inter-académique de ses candidats."
                    )
                    % {
                        "juror": names.get(juror, juror),
                        "theirs": other.name if other is not None else _("hors regroupement"),
                        "candidate": names.get(assignment.candidate, assignment.candidate),
                        "ours": home.name if home is not None else _("hors regroupement"),
                    }
                )
    return reasons


def group_for(campaign: Campaign, regroupement: Regroupement | None, day: date) -> JuryGroup:
    """The group of the juries of one day (of one regroupement, whose president presides it)."""
    when = f"{day:%d/%m/%Y}"
    if regroupement is None:
        group, _created = JuryGroup.objects.get_or_create(
            campaign=campaign, name=_("Jurys du %(day)s") % {"day": when}
        )
        return group
    name = _("%(regroupement)s — jurys du %(day)s") % {"regroupement": regroupement.name, "day": when}
    group, _created = JuryGroup.objects.get_or_create(campaign=campaign, name=name)
    if group.regroupement_id != regroupement.pk or group.president_id != regroupement.president_id:
        group.regroupement = regroupement
        group.president_id = regroupement.president_id
        group.save(update_fields=["regroupement", "president"])
    return group


def explain_part(
    explanation: Explanation, part: Part, data: CompositionInput, campaign: Campaign, *, named: bool
) -> dict[str, str]:
    """A part's infeasibility reason in French, naming its regroupement when there are several parts."""
    reason = explanation_fr(explanation, data.names)
    if explanation.constraint == "reading_delay":
        reason["detail"] = reading_delay_fr(data.earliest, campaign.reading_delay_days)
    if named:
        reason["label"] = f"{part.name} — {reason['label']}"
    return reason
