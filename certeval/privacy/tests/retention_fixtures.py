"""A realistic dataset for the retention tests, built with the factories of the other contexts:

- a Pix+ Édu campaign with three candidates deliberated by their jury (one certified, hence a holder
  with an award; two adjourned), automated results, placement runs with answers to questions, and
  dossier files whose bytes are in storage; one adjourned candidate also trained outside any campaign;
- a proctored session of another campaign, with proctoring events, messages and an answered question;
- both campaigns' results published on ``PUBLISHED_AT``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from certeval.campaigns.models import Campaign, CampaignState, CampaignTransition, Enrolment
from certeval.dossiers.models import DossierFile
from certeval.juries.services.deliberation import deliberation_save, deliberation_validate
from certeval.juries.tests.factories import JuryCampaign, jury_campaign
from certeval.juries.tests.test_services import CRITERIA
from certeval.results.award_services import awards_issue_for_campaign
from certeval.testing import console_services as console
from certeval.testing import sitting_services as sitting
from certeval.testing.models import ItemVersion, Question, Run
from certeval.testing.tests.sitting_factories import ProctoredSession, proctored_session, seated

PUBLISHED_AT = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


@dataclass
class Dataset:
    jc: JuryCampaign
    ps: ProctoredSession
    files: list[DossierFile]

    @property
    def campaigns(self) -> list[Campaign]:
        return [self.jc.campaign, self.ps.session.campaign]

    @property
    def holder(self) -> Enrolment:
        return self.jc.enrolments[0]

    @property
    def adjourned(self) -> Enrolment:
        return self.jc.enrolments[1]


def publish(campaign: Campaign, at: datetime = PUBLISHED_AT) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.PUBLISHED)
    transition = CampaignTransition.objects.create(
        campaign=campaign, from_state=campaign.state, to_state=CampaignState.PUBLISHED
    )
    CampaignTransition.objects.filter(pk=transition.pk).update(at=at)


def dossier_file(enrolment: Enrolment, title: str) -> DossierFile:
    """A file of a frozen dossier, its bytes in storage (bulk_create: the model refuses ``save``
    on a frozen dossier, as it should)."""
    data = f"%PDF-1.4 {title} {enrolment.pk}".encode()
    name = default_storage.save(f"dossiers/test/{enrolment.pk}-{title}.pdf", ContentFile(data))
    (row,) = DossierFile.objects.bulk_create(
        [
            DossierFile(
                dossier=enrolment.dossier,
                kind=DossierFile.Kind.DOCUMENT,
                title=title,
                name=f"{title}.pdf",
                original_name=f"{title} de {enrolment.candidate.birth_name}.pdf",
                storage_name=name,
                content_type="application/pdf",
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                uploaded_by=enrolment.candidate.user,
            )
        ]
    )
    return row


def _deliberate(jc: JuryCampaign, index: int, level: str) -> None:
    deliberation_save(
        slot=jc.slot(index),
        actor=jc.president,
        consensus=dict.fromkeys(CRITERIA, level),
        item_comments={"1": "Stratégie pertinente"},
        oral_levels=dict.fromkeys(["1", "2", "3", "4", "5"], level),
        oral_comments={"1": "Posture réflexive"},
    )
    deliberation_validate(slot=jc.slot(index), actor=jc.president)


def _placement_run(enrolment: Enrolment, level: str, item: ItemVersion) -> Run:
    run = Run.objects.create(
        candidate=enrolment.candidate,
        kind=Run.Kind.PLACEMENT,
        bank="pix-plus-edu",
        bank_version=1,
        status=Run.Status.FINISHED,
        proposed_level=level,
        enrolment=enrolment,
        campaign=enrolment.campaign,
        finished_at=timezone.make_aware(datetime(2025, 10, 2, 10, 0)),
    )
    Question.objects.create(run=run, position=1, item_version=item, response={"choice": ["a"]}, correct=True)
    return run


def build_dataset() -> Dataset:
    ps = proctored_session(candidates=2)
    item = ItemVersion.objects.first()
    assert item is not None
    jc = jury_campaign(candidates=3)
    Enrolment.objects.filter(pk=jc.enrolments[2].pk).update(training="initiale", school_level="premier")
    _deliberate(jc, 0, "avance")  # automated Confirmé, practice Avancé: certified Confirmé
    _deliberate(jc, 1, "initie")  # below the automated level: adjourned
    Enrolment.objects.filter(pk=jc.enrolments[1].pk).update(other_needs="Tiers temps (dyslexie)")
    files = []
    for enrolment, level in zip(jc.enrolments, ("avance", "confirme", "initie"), strict=True):
        _placement_run(enrolment, level, item)
        files.append(dossier_file(enrolment, "Dossier"))
    # Training outside any campaign: its answers count from the run's end.
    training = Run.objects.create(
        candidate=jc.enrolments[1].candidate,
        kind=Run.Kind.TRAINING,
        bank="pix-plus-edu",
        bank_version=1,
        status=Run.Status.FINISHED,
        finished_at=timezone.make_aware(datetime(2025, 11, 5, 18, 0)),
    )
    Question.objects.create(
        run=training, position=1, item_version=item, response={"choice": ["c"]}, correct=False
    )
    # The proctored session: messages and events, one question answered.
    first = ps.enrolments[0]
    joined = sitting.join(
        access_code=ps.delivery.access_code,
        name=first.candidate.birth_name,
        birth_date=first.candidate.birth_date,
    )
    tab = sitting.claim_tab(joined.pk)
    sitting.send_message(sitting_id=joined.pk, tab=tab, text="Je n'entends pas le surveillant.")
    console.mark_present(delivery=ps.delivery, sitting_id=joined.pk, who=ps.invigilator)
    _seat, _tab, question = seated(ps, 1)
    Question.objects.filter(pk=question.pk).update(response={"choice": ["b"]}, correct=False)
    for campaign in (jc.campaign, ps.session.campaign):
        publish(campaign)
    awards_issue_for_campaign(Campaign.objects.get(pk=jc.campaign.pk), by=None)
    return Dataset(jc, ps, files)
