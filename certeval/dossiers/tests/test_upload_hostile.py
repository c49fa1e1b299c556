"""Hostile files through the real routes (issue 14): the dossier deposit page, the trainer
attestation on the prerequisites page, and both APIs (dossier files, trainer attestation). Each is refused with its French
message, nothing is stored, and the person's other input is shown again. Valid PNG, JPEG, MP4,
WebM and PDF files are still accepted, and a PDF is sanitised when the setting asks for it."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import Enrolment
from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory
from certeval.campaigns.tests.test_prerequisites import facilitateur
from certeval.core.tests.fake_clamd import closed_port, fake_clamd
from certeval.core.tests.upload_samples import Hostile, hostile_files, pdf_with, valid_files
from certeval.dossiers.models import DossierFile

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning"),
]
HOSTILE = hostile_files()
TITLE = "Ma séquence « cartes mentales »"
LINK = "https://exemple.fr/ressource-partagee"
DESCRIPTION = "Formatrice d'adultes depuis 2019 (tutorat, ateliers numériques)"


def test_there_are_at_least_25_hostile_files_with_distinct_ids() -> None:
    assert len(HOSTILE) >= 25 and len({h.id for h in HOSTILE}) == len(HOSTILE)


@contextmanager
def antivirus(settings: Any, hostile: Hostile) -> Iterator[None]:
    """The ClamAV daemon the case needs: a fake one that finds EICAR, or one that is down."""
    if hostile.clamd == "fake":
        with fake_clamd() as server:
            settings.CERTEVAL_CLAMAV = server.address
            yield
            assert server.received and server.received[0][0] == b"zINSTREAM\0"
    elif hostile.clamd == "down":
        settings.CERTEVAL_CLAMAV = closed_port()
        settings.CERTEVAL_CLAMAV_TIMEOUT = 2
        yield
    else:
        with nullcontext():
            yield


def upload(hostile: Hostile) -> SimpleUploadedFile:
    return SimpleUploadedFile(hostile.name, hostile.data, content_type=hostile.content_type)


def send(settings: Any, hostile: Hostile, enrolment: Enrolment, url: str, data: dict[str, Any]) -> Any:
    """POST ``data`` with the hostile file as ``file`` (or as ``attestation`` when the key is there)."""
    field = "attestation" if "attestation" in data else "file"
    client = logged_in(enrolment.candidate.user)
    with antivirus(settings, hostile):
        return client.post(url, {**data, field: upload(hostile)})


@pytest.fixture(autouse=True)
def fresh_storage(settings: Any) -> None:
    """An empty in-memory storage for each test: « nothing stored » looks at paths named by ids, which
    a database reuses from one test to the next, so another test's files must not be there."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_text(response: Any) -> str:
    return html.unescape(response.content.decode())


def nothing_stored(enrolment: Enrolment) -> None:
    assert not DossierFile.objects.filter(dossier__enrolment=enrolment).exists()
    for prefix in ("dossiers", "prerequis"):
        assert not default_storage.exists(f"{prefix}/{enrolment.campaign_id}/{enrolment.pk}")


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.id for h in HOSTILE])
def test_hostile_file_is_refused_on_the_deposit_page(hostile: Hostile, settings: Any) -> None:
    enrolment = EnrolmentFactory()
    url = f"/mes-certifications/{enrolment.pk}/dossier/"
    response = send(settings, hostile, enrolment, url, {"kind": "trace", "title": TITLE, "link_url": LINK})
    text = page_text(response)
    assert response.status_code == 200
    assert hostile.message in text
    # Bad input loses nothing: the title and the link are shown again in the form.
    assert f'value="{TITLE}"' in text and f'value="{LINK}"' in text
    nothing_stored(enrolment)
    refused = AuditEvent.objects.get(action="dossier.upload")
    assert refused.outcome == AuditEvent.Outcome.REFUSED and hostile.message in refused.message


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.id for h in HOSTILE])
def test_hostile_file_is_refused_as_a_trainer_attestation(hostile: Hostile, settings: Any) -> None:
    enrolment = EnrolmentFactory(campaign=CampaignFactory(framework_version=facilitateur()))
    data = {"form": "trainer", "years": "6", "description": DESCRIPTION, "accompaniment": "accompanied"}
    response = send(
        settings,
        hostile,
        enrolment,
        f"/campagnes/candidats/{enrolment.pk}/prerequis/",
        {**data, "attestation": ""},
    )
    text = page_text(response)
    assert response.status_code == 200 and hostile.message in text
    assert DESCRIPTION in text and 'value="6"' in text
    enrolment.refresh_from_db()
    assert enrolment.trainer_attestation_storage == "" and enrolment.trainer_experience == ""
    nothing_stored(enrolment)


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.id for h in HOSTILE])
def test_hostile_file_is_refused_by_the_api(hostile: Hostile, settings: Any) -> None:
    enrolment = EnrolmentFactory()
    url = f"/api/v1/dossiers/{enrolment.pk}/files"
    response = send(settings, hostile, enrolment, url, {"kind": "trace", "title": TITLE})
    assert response.status_code == 422
    assert hostile.message in response.json()["detail"]
    nothing_stored(enrolment)


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.id for h in HOSTILE])
def test_hostile_attestation_is_refused_by_the_prerequisites_api(hostile: Hostile, settings: Any) -> None:
    enrolment = EnrolmentFactory(campaign=CampaignFactory(framework_version=facilitateur()))
    url = f"/api/v1/campaigns/enrolments/{enrolment.pk}/prerequisites/trainer-experience"
    response = send(
        settings, hostile, enrolment, url, {"description": DESCRIPTION, "years": "6", "attestation": ""}
    )
    assert response.status_code == 422 and hostile.message in response.json()["detail"]
    enrolment.refresh_from_db()
    assert enrolment.trainer_attestation_storage == ""
    nothing_stored(enrolment)


@pytest.mark.parametrize(("name", "data", "content_type"), valid_files(), ids=lambda v: str(v)[:24])
def test_valid_files_are_still_accepted_by_the_page_and_the_api(
    name: str, data: bytes, content_type: str, settings: Any
) -> None:
    enrolment = EnrolmentFactory()
    client = logged_in(enrolment.candidate.user)
    with fake_clamd() as server:
        settings.CERTEVAL_CLAMAV = server.address
        response = client.post(
            f"/mes-certifications/{enrolment.pk}/dossier/",
            {
                "kind": "trace",
                "title": "Trace",
                "file": SimpleUploadedFile(name, data, content_type=content_type),
            },
        )
        assert response.status_code == 302
        api = client.post(
            f"/api/v1/dossiers/{enrolment.pk}/files",
            {"kind": "document", "file": SimpleUploadedFile(name, data, content_type=content_type)},
        )
        assert api.status_code == 201, api.content
    assert len(server.received) == 2 and server.received[0][2] == data
    stored = DossierFile.objects.get(dossier__enrolment=enrolment, kind="trace")
    with default_storage.open(stored.storage_name, "rb") as handle:
        assert handle.read() == data
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.sanitised_note == ""


def test_a_pdf_with_javascript_is_sanitised_when_the_setting_says_so(settings: Any) -> None:
    settings.CERTEVAL_PDF_ACTIVE_CONTENT = "sanitise"
    enrolment = EnrolmentFactory()
    client = logged_in(enrolment.candidate.user)
    original = pdf_with("openaction")
    response = client.post(
        f"/mes-certifications/{enrolment.pk}/dossier/",
        {"kind": "document", "title": "Dossier", "file": SimpleUploadedFile("dossier.pdf", original)},
        follow=True,
    )
    stored = DossierFile.objects.get(dossier__enrolment=enrolment)
    assert "retirés avant l'enregistrement" in stored.sanitised_note and "JavaScript" in stored.sanitised_note
    assert stored.sanitised_note in page_text(response)  # the person is told what was removed
    with default_storage.open(stored.storage_name, "rb") as handle:
        kept = handle.read()
    assert b"app.alert" not in kept and kept != original and stored.page_count == 1
    assert stored.sha256 == hashlib.sha256(kept).hexdigest() and stored.size == len(kept)
    event = AuditEvent.objects.get(action="dossier.upload", outcome=AuditEvent.Outcome.DONE)
    assert event.data["sanitised"] == stored.sanitised_note
