"""A published Pix+ Édu campaign with two candidates, the first with a usual name, a birth place and
accommodations (extra time, accessible formats and a free-text need that reveals health): what
jurors must not see and what the person's own export must hold."""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from certeval.accounts.models import User
from certeval.campaigns.models import Candidate, Enrolment
from certeval.dossiers.models import DossierFile
from certeval.juries.models import OralSlot
from certeval.juries.tests.factories import JuryCampaign, jury_campaign
from certeval.results.tests.test_candidate_results import decide_pix, publish

BIRTH_DATE = "23/04/1981"
BIRTH_PLACE = "Quimperlé"
BIRTH_NAME = "Naissancenom"
USUAL_NAME = "Usagenom"
HEALTH = "Diabète : pauses nécessaires"
FORMATS = "Gros caractères"


@dataclass
class PrivacyWorld:
    jc: JuryCampaign
    enrolment: Enrolment  # the candidate with birth data and accommodations
    other: Enrolment  # another candidate of the same jury

    @property
    def candidate(self) -> User:
        return self.enrolment.candidate.user

    @property
    def juror(self) -> User:
        return self.jc.jurors[0].user

    @property
    def slot(self) -> OralSlot:
        return self.jc.slot(0)


def sensitive(enrolment: Enrolment) -> None:
    """Give ``enrolment``'s candidate the birth data and accommodations the pages must hide."""
    Candidate.objects.filter(pk=enrolment.candidate_id).update(
        birth_name=BIRTH_NAME, usual_name=USUAL_NAME, birth_place=BIRTH_PLACE, birth_date=date(1981, 4, 23)
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(
        extra_time_percent=33, accessible_formats=FORMATS, other_needs=HEALTH
    )
    enrolment.refresh_from_db()


def privacy_world(published: bool = True) -> PrivacyWorld:
    jc = jury_campaign(candidates=2)
    sensitive(jc.enrolments[0])
    if published:
        decide_pix(jc)
        # The other candidate withdraws: publication needs every enrolled candidate decided.
        Enrolment.objects.filter(pk=jc.enrolments[1].pk).update(
            status=Enrolment.Status.WITHDRAWN, status_reason="Désisté"
        )
        publish(jc)
    enrolment, other = (Enrolment.objects.select_related("candidate").get(pk=e.pk) for e in jc.enrolments)
    return PrivacyWorld(jc, enrolment, other)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return html.unescape(content.decode("utf-8-sig"))


def assert_minimised(page: str) -> None:
    """No birth date, birth place, birth name (a usual name exists) nor the free-text need."""
    for secret in (BIRTH_DATE, "1981-04-23", BIRTH_PLACE, BIRTH_NAME, HEALTH):
        assert secret not in page, secret


DOSSIER_BYTES = b"%PDF-1.4 dossier de test\n"


def stored_file(enrolment: Enrolment) -> DossierFile:
    """A file in ``enrolment``'s frozen dossier (written as a deposit before the freeze would)."""
    name = default_storage.save(f"dossiers/test-{enrolment.pk}.pdf", ContentFile(DOSSIER_BYTES))
    (created,) = DossierFile.objects.bulk_create(
        [
            DossierFile(
                dossier=enrolment.dossier,
                kind=DossierFile.Kind.DOCUMENT,
                title="Dossier",
                name="dossier.pdf",
                original_name="dossier.pdf",
                storage_name=name,
                content_type="application/pdf",
                size=len(DOSSIER_BYTES),
                sha256=hashlib.sha256(DOSSIER_BYTES).hexdigest(),
                uploaded_by=enrolment.candidate.user,
            )
        ]
    )
    return created
