"""Publishing one session's results before the whole campaign's (docs/results.md, « Campaign
dashboard and publication »).

The guard is the campaign's (``publication``), restricted to the session's candidates: every enrolled
candidate of the session has a validated decision, and no incident of the session's proctored test is
undecided. The campaign must be in « Jurys en cours » or « Délibération » (once it is published,
every session is). Only those who publish the campaign's results publish a session's. Publishing
asks the person to confirm the counts, records a ``SessionPublication`` with an audit row, issues the
awards of the session's candidates (``award_services.awards_issue_for_enrolments``), and e-mails each
candidate with a decision; their result page and bordereau open at once.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import Campaign, CampaignState, Enrolment, Session
from certeval.juries.models import Deliberation
from certeval.results.award_services import awards_issue_for_enrolments
from certeval.results.models import SessionPublication
from certeval.results.permissions import can_publish
from certeval.results.publication import enrolment_blockers, incident_blockers, summary_of
from certeval.results.publication_emails import enqueue_result_emails
from certeval.testing.models import Incident

SESSION_PUBLISHABLE_STATES = (CampaignState.JURIES, CampaignState.DELIBERATION)


class SessionPublicationRefused(Exception):
    """Publishing the session is refused; ``blockers`` lists what is missing (French)."""

    def __init__(self, message: str, blockers: list[str] | None = None) -> None:
        super().__init__(message)
        self.blockers = blockers or []


def session_publication_blockers(session: Session, by: User | None) -> list[str]:
    """What is missing before ``session``'s results may be published, in French."""
    campaign = session.campaign
    if by is not None and not can_publish(by, campaign):
        return [
            _(
                "La publication des résultats est réservée aux organisateurs de toute la campagne "
                "(sans restriction d'académie)."
            )
        ]
    if SessionPublication.objects.filter(session=session).exists():
        return [_("Les résultats de cette session sont déjà publiés.")]
    if campaign.state not in SESSION_PUBLISHABLE_STATES:
        if campaign.state in (CampaignState.PUBLISHED, CampaignState.ARCHIVED):
            return [_("Les résultats de toute la campagne sont déjà publiés.")]
        return [
            _(
                "La campagne est à l'état « %(state)s » : les résultats d'une session se publient "
                "pendant les jurys ou la délibération."
            )
            % {"state": campaign.get_state_display()}
        ]
    enrolments = list(Enrolment.objects.filter(session=session).select_related("candidate"))
    if not enrolments:
        return [_("Aucun candidat dans cette session : il n'y a aucun résultat à publier.")]
    return enrolment_blockers(enrolments) + incident_blockers(
        Incident.objects.filter(session__session=session)
    )


def session_publication_confirmation(session: Session) -> str:
    """The sentence the organiser ticks before publishing a session, with the counts."""
    summary = summary_of(Enrolment.objects.filter(session=session))
    return _(
        "Je confirme la publication des résultats de la session « %(session)s » : %(candidates)s "
        "candidat(s) inscrit(s), %(decisions)s décision(s) validée(s), %(withdrawn)s désistement(s), "
        "%(eliminated)s candidat(s) éliminé(s). Chaque candidat de la session verra sa décision et son "
        "bordereau, et en sera informé par courriel."
    ) % {
        "session": session.label,
        "candidates": summary.candidates,
        "decisions": summary.decisions,
        "withdrawn": summary.withdrawn,
        "eliminated": summary.eliminated,
    }


def decided_enrolments(enrolments: list[Enrolment]) -> list[Enrolment]:
    """The enrolled candidates among ``enrolments`` whose latest deliberation is validated."""
    latest = dict(
        Deliberation.objects.filter(slot__enrolment__in=[e.pk for e in enrolments])
        .order_by("slot__enrolment_id", "number")
        .values_list("slot__enrolment_id", "state")
    )
    return [
        e
        for e in enrolments
        if e.status == Enrolment.Status.ENROLLED and latest.get(e.pk) == Deliberation.State.VALIDATED
    ]


def session_publish(*, session: Session, by: User, confirmed: bool) -> SessionPublication:
    """Publish the results of ``session``'s candidates: refused with the list of what is missing
    (``SessionPublicationRefused``, the attempt audited), and until ``confirmed``."""
    try:
        return _publish(session=session, by=by, confirmed=confirmed)
    except SessionPublicationRefused as refused:
        with transaction.atomic():
            audit_record(
                actor=by,
                action="results.session_publish",
                target=session,
                refused=True,
                message=str(refused),
                data={"session": session.pk, "blockers": len(refused.blockers)},
            )
        raise


def _publish(*, session: Session, by: User, confirmed: bool) -> SessionPublication:
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=session.campaign_id).first()
        session = Session.objects.select_for_update().select_related("campaign").get(pk=session.pk)
        blockers = session_publication_blockers(session, by)
        if blockers:
            raise SessionPublicationRefused(
                _("Publication des résultats de la session refusée : %(n)s point(s) à régler.")
                % {"n": len(blockers)},
                blockers,
            )
        if not confirmed:
            raise SessionPublicationRefused(
                _("Publication des résultats de la session : cochez la case de confirmation.")
            )
        enrolments = list(
            Enrolment.objects.filter(session=session).select_related(
                "candidate", "campaign__framework_version"
            )
        )
        decided = decided_enrolments(enrolments)
        try:
            with transaction.atomic():
                publication = SessionPublication.objects.create(
                    session=session, published_by=by, candidates=len(decided)
                )
        except IntegrityError as error:  # published meanwhile (a database without row locks)
            raise SessionPublicationRefused(
                _("Les résultats de cette session sont déjà publiés."),
                [_("Les résultats de cette session sont déjà publiés.")],
            ) from error
        awards_issue_for_enrolments(decided, by)
        audit_record(
            actor=by,
            action="results.session_publish",
            target=session,
            data={"session": session.pk, "decisions": len(decided)},
        )
        enqueue_result_emails(e.pk for e in decided)
    return publication


def notify_campaign_published(campaign: Campaign, new_state: str, by: User | None) -> None:
    """``campaigns.hooks.STATE_CHANGED``: at the campaign's publication, e-mail every candidate with a
    decision who was not already told by their session's publication."""
    if new_state != CampaignState.PUBLISHED:
        return
    enrolments = list(
        Enrolment.objects.filter(campaign=campaign).exclude(session__results_publication__isnull=False)
    )
    enqueue_result_emails(e.pk for e in decided_enrolments(enrolments))
