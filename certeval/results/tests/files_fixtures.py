"""A jury campaign with validated decisions in two academies, for the results files tests."""

from __future__ import annotations

from dataclasses import dataclass

from certeval.campaigns.models import Candidate, Enrolment, Session
from certeval.campaigns.tests.factories import SessionFactory
from certeval.juries.services.deliberation import deliberation_save, deliberation_validate
from certeval.juries.tests.factories import JuryCampaign, academy, jury_campaign
from certeval.juries.tests.test_services import CRITERIA


def decide(jc: JuryCampaign, index: int, validate: bool = True) -> None:
    """Consensus and oral sheet at Avancé, domain 5 at Initié: certified at Confirmé (the
    automated level)."""
    deliberation_save(
        slot=jc.slot(index),
        actor=jc.president,
        consensus=dict.fromkeys(CRITERIA, "avance"),
        item_comments={},
        oral_levels=dict.fromkeys("1234", "avance") | {"5": "initie"},
        oral_comments={},
    )
    if validate:
        deliberation_validate(slot=jc.slot(index), actor=jc.president)


@dataclass
class FilesCampaign:
    jc: JuryCampaign
    session: Session

    @property
    def versailles(self) -> Enrolment:
        return self.jc.enrolments[0]

    @property
    def lyon(self) -> Enrolment:
        return self.jc.enrolments[1]

    @property
    def undecided(self) -> Enrolment:
        return self.jc.enrolments[2]


def files_campaign() -> FilesCampaign:
    """Three candidates heard by one jury: one from Versailles (decided, in a session, with a name
    that looks like a formula), one from Lyon (decided), one from Versailles without a validated
    decision."""
    jc = jury_campaign(candidates=3)
    session = SessionFactory(campaign=jc.campaign, label="Session de mai", place="Lycée Hoche")
    Enrolment.objects.filter(pk=jc.enrolments[0].pk).update(session=session)
    Candidate.objects.filter(pk=jc.enrolments[0].candidate_id).update(
        birth_name='=HYPERLINK("http://x")', first_names="Léa"
    )
    Enrolment.objects.filter(pk=jc.enrolments[1].pk).update(academy=academy("lyon"))
    decide(jc, 0)
    decide(jc, 1)
    decide(jc, 2, validate=False)
    for enrolment in jc.enrolments:
        enrolment.refresh_from_db()
    return FilesCampaign(jc, session)
