"""What publishing a campaign's results requires (docs/results.md), read for the publication guard.

Registered in ``ResultsConfig.ready()`` as the guard of the campaign's move to « Résultats publiés »
(``certeval.campaigns.guards``): the move is refused while any enrolled candidate has no validated
decision or any incident of its proctored sessions is undecided, and it asks the person to confirm
the counts. A candidate whose enrolment records a
withdrawal (« Désisté ») or an elimination (« Éliminé », e.g. a dossier not deposited by the
deadline) needs no decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, Enrolment
from certeval.core.dates import paris_text
from certeval.juries.models import Deliberation, OralSlot
from certeval.juries.selectors import latest_deliberation_states
from certeval.results.models import PastCohortRow
from certeval.results.permissions import can_publish
from certeval.testing.models import Incident


@dataclass(frozen=True)
class PublicationSummary:
    """The counts a person confirms before publishing."""

    candidates: int
    decisions: int
    withdrawn: int
    eliminated: int


def publication_summary(campaign: Campaign) -> PublicationSummary:
    return summary_of(Enrolment.objects.filter(campaign=campaign))


def summary_of(enrolments: QuerySet[Enrolment]) -> PublicationSummary:
    """The counts of ``enrolments``: candidates, validated decisions of the enrolled ones,
    withdrawals and eliminations."""
    statuses = list(enrolments.values_list("status", flat=True))
    states = latest_deliberation_states(slot__enrolment__in=enrolments)
    decided = OralSlot.objects.filter(
        enrolment__in=enrolments.filter(status=Enrolment.Status.ENROLLED),
        pk__in=[slot for slot, state in states.items() if state == Deliberation.State.VALIDATED],
    ).count()
    return PublicationSummary(
        candidates=len(statuses),
        decisions=decided,
        withdrawn=statuses.count(Enrolment.Status.WITHDRAWN),
        eliminated=statuses.count(Enrolment.Status.ELIMINATED),
    )


def publication_confirmation(campaign: Campaign) -> str:
    """The sentence the organiser ticks before publishing, with the counts."""
    summary = publication_summary(campaign)
    return _(
        "Je confirme la publication des résultats de %(candidates)s candidat(s) inscrit(s) : "
        "%(decisions)s décision(s) validée(s), %(withdrawn)s désistement(s), %(eliminated)s "
        "candidat(s) éliminé(s). Chaque candidat verra sa décision et son bordereau."
    ) % {
        "candidates": summary.candidates,
        "decisions": summary.decisions,
        "withdrawn": summary.withdrawn,
        "eliminated": summary.eliminated,
    }


def _missing(slot: OralSlot | None, state: str | None) -> str:
    if slot is None:
        return _("aucun oral planifié (ni désistement ni élimination enregistrés)")
    if state == Deliberation.State.DRAFT:
        return _("décision en harmonisation, pas encore validée")
    if slot.starts_at > timezone.now():
        return _("oral prévu le %(when)s, pas encore passé") % {"when": paris_text(slot.starts_at)}
    return _("aucune décision du jury")


def enrolment_blockers(enrolments: list[Enrolment]) -> list[str]:
    """One line per enrolled candidate of ``enrolments`` (of one campaign) without a validated
    decision, by name, with what they lack."""
    ids = [e.pk for e in enrolments]
    slots = {s.enrolment_id: s for s in OralSlot.objects.filter(enrolment_id__in=ids)}
    states = latest_deliberation_states(slot__enrolment_id__in=ids)
    blockers = []
    for enrolment in enrolments:
        if enrolment.status != Enrolment.Status.ENROLLED:
            continue
        slot = slots.get(enrolment.pk)
        state = states.get(slot.pk) if slot is not None else None
        if state == Deliberation.State.VALIDATED:
            continue
        blockers.append(
            _("%(name)s : %(missing)s.")
            % {"name": enrolment.candidate.display_name, "missing": _missing(slot, state)}
        )
    return blockers


def incident_blockers(incidents: QuerySet[Incident]) -> list[str]:
    """One line per incident of a proctored session that no organiser has decided yet: its result
    may still be cancelled or a question neutralised."""
    lines = []
    for incident in incidents.filter(decision="").select_related(
        "session__session", "sitting__enrolment__candidate"
    ):
        sitting = incident.sitting
        values = {
            "category": incident.get_category_display(),
            "session": incident.session.session.label,
            "when": paris_text(incident.reported_at),
        }
        if sitting is not None:
            values["name"] = sitting.enrolment.candidate.display_name
            lines.append(
                _(
                    "Incident non décidé (%(category)s, session « %(session)s », signalé le %(when)s) : %(name)s."
                )
                % values
            )
        else:
            lines.append(
                _("Incident non décidé (%(category)s, session « %(session)s », signalé le %(when)s).")
                % values
            )
    return lines


def publication_blockers(campaign: Campaign, by: User | None) -> list[str]:
    """What is missing before ``campaign``'s results may be published, in French: each enrolled
    candidate, by name, without a validated decision, with what they lack; then each undecided
    incident of its proctored sessions."""
    if by is not None and not can_publish(by, campaign):
        return [
            _(
                "La publication des résultats est réservée aux organisateurs de toute la campagne "
                "(sans restriction d'académie)."
            )
        ]
    enrolments = list(Enrolment.objects.filter(campaign=campaign).select_related("candidate"))
    if not enrolments:
        if PastCohortRow.objects.filter(campaign=campaign).exists():
            return []  # a past campaign imported for its statistics: its cohort is its results
        return [_("Aucun candidat inscrit : il n'y a aucun résultat à publier.")]
    return enrolment_blockers(enrolments) + incident_blockers(
        Incident.objects.filter(session__session__campaign=campaign)
    )
