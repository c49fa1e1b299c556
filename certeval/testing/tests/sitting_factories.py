"""A proctored session ready to run: a Pix+ Édu campaign, an item bank, candidates placed in a session
with a target level, the session opened online."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from certeval.accounts.models import User
from certeval.campaigns.models import Enrolment, Session
from certeval.campaigns.tests.factories import SessionFactory, organiser_of
from certeval.testing import console_services as console
from certeval.testing.models import Question, SessionDelivery, Sitting
from certeval.testing.tests.factories import campaign_of, enrolment_in, published
from certeval.testing.tests.run_factories import make_bank

# Competences of both parts known to the référentiel's automated rule.
COMPETENCES = 3


@dataclass
class ProctoredSession:
    session: Session
    delivery: SessionDelivery
    enrolments: list[Enrolment]
    organiser: User

    @property
    def invigilator(self) -> console.Invigilator:
        return console.Invigilator(None, "Camille Surveillante")


def proctored_session(
    candidates: int = 2, *, target_level: str = "confirme", bank: bool = True, **session: Any
) -> ProctoredSession:
    if bank:
        make_bank(per_competence=3, competences=COMPETENCES)
    published("crcn")  # the automated rule's CRCN part reads it
    campaign = campaign_of("pix-plus-edu")
    place = SessionFactory(campaign=campaign, **session)
    enrolments = [
        enrolment_in(campaign, "lyon", session=place, target_level=target_level, school_level="second")
        for _ in range(candidates)
    ]
    organiser = organiser_of(campaign)
    delivery = console.open_delivery(session_id=place.pk, actor=organiser)
    return ProctoredSession(place, delivery, enrolments, organiser)


def seated(ps: ProctoredSession, index: int = 0) -> tuple[Sitting, str, Question]:
    """Candidate ``index`` joined, checked, authorised and started: their sitting, tab and first
    question."""
    from certeval.testing import sitting_services as services

    enrolment = ps.enrolments[index]
    joined = services.join(
        access_code=ps.delivery.access_code,
        name=enrolment.candidate.birth_name,
        birth_date=enrolment.candidate.birth_date,
    )
    console.check_identity(
        delivery=ps.delivery, sitting_id=joined.pk, document="passport", who=ps.invigilator
    )
    console.authorise(delivery=ps.delivery, sitting_id=joined.pk, who=ps.invigilator)
    tab = services.claim_tab(joined.pk)
    sitting = services.start(sitting_id=joined.pk, tab=tab)
    question = services.current_question(sitting)
    assert question is not None
    return sitting, tab, question
