"""An instance to back up and what a restored instance shows, for test_backup_restore.

Run in the test process (SQLite suite) or in a child process on a scratch database
(``python -m certeval.core.tests.backup_instance build|inspect``, settings from the environment); both
print or return JSON."""

from __future__ import annotations

import hashlib
import io
import json
import sys
from typing import Any


def png_bytes() -> bytes:
    """A real image (Pillow), so that it passes the checks of uploads that decode images."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (0, 85, 164)).save(out, format="PNG")
    return out.getvalue()


def deposit(enrolment: Any, data: bytes, *, name: str, kind: str, title: str, **extra: Any) -> Any:
    """One file deposited by the candidate through the deposit service."""
    from certeval.dossiers.services import dossier_file_upload

    return dossier_file_upload(
        enrolment=enrolment,
        by=enrolment.candidate.user,
        fileobj=io.BytesIO(data),
        original_name=name,
        size=len(data),
        kind=kind,
        title=title,
        **extra,
    )


def build() -> dict[str, Any]:
    """A campaign with a deposited dossier (two files of real bytes, a replaced version), its
    receipt, and a trainer's attestation on the enrolment."""
    from certeval.campaigns.enrolments import Attestation, enrolment_trainer_experience_declare
    from certeval.campaigns.tests.factories import EnrolmentFactory, pdf_bytes
    from certeval.dossiers.services import dossier_submit

    enrolment = EnrolmentFactory()
    user = enrolment.candidate.user

    def upload(data: bytes, name: str, kind: str, title: str, **extra: Any) -> Any:
        return deposit(enrolment, data, name=name, kind=kind, title=title, **extra)

    first = upload(pdf_bytes(2, "Première version"), "dossier.pdf", "document", "Mon dossier")
    upload(pdf_bytes(3, "Version déposée"), "dossier.pdf", "document", "Mon dossier", replaces=first)
    upload(png_bytes(), "capture.png", "trace", "Capture de la séance")
    attestation = pdf_bytes(1, "Attestation employeur")
    enrolment_trainer_experience_declare(
        enrolment=enrolment,
        by=user,
        years=2,
        description="Formatrice",
        declared=False,
        attestation=Attestation(io.BytesIO(attestation), "attestation.pdf", len(attestation)),
    )
    dossier_submit(enrolment=enrolment, by=user)
    return {"enrolment": enrolment.pk, "email": user.email}


def counts() -> dict[str, int]:
    from django.apps import apps

    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def inspect(enrolment_id: int) -> dict[str, Any]:
    """What the restored instance holds and shows: row counts, the file rows' verification and the
    candidate's dossier page, rendered by the test client."""
    from django.test import Client
    from django.urls import reverse

    from certeval.campaigns.models import Enrolment
    from certeval.core.backup_files import verify_file_rows
    from certeval.dossiers.models import DossierFile, Receipt

    before = counts()
    report = verify_file_rows()
    enrolment = Enrolment.objects.select_related("candidate__user").get(pk=enrolment_id)
    client = Client()
    client.force_login(enrolment.candidate.user)
    page = client.get(reverse("dossiers:deposit", args=[enrolment.pk]))
    receipt = client.get(reverse("dossiers:receipt_pdf", args=[enrolment.pk]))
    body = b"".join(receipt.streaming_content) if receipt.streaming else receipt.content
    files = DossierFile.objects.filter(dossier__enrolment=enrolment)
    return {
        "counts": before,
        "checked": report.checked,
        "per_model": report.per_model,
        "missing": report.missing,
        "mismatched": report.mismatched,
        "page_status": page.status_code,
        "page_shows": [f.title for f in files if f.title in page.content.decode()],
        "receipt_status": receipt.status_code,
        "receipt_matches": hashlib.sha256(body).hexdigest()
        == Receipt.objects.get(dossier__enrolment=enrolment).sha256,
        "files": files.count(),
    }


def main(argv: list[str]) -> None:
    import django

    django.setup()
    if argv[0] == "build":
        result = build()
    elif argv[0] == "counts":
        result = counts()
    else:
        result = inspect(int(argv[1]))
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
