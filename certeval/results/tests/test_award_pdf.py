"""The attestation PDF: French, tagged (PDF/UA-1: structure tree, language, title), with the level,
the competences acquired and to work on, the validity, the code and the verification address."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from certeval.juries.tests.factories import jury_campaign
from certeval.results.award_pdf import attestation_pdf
from certeval.results.award_services import award_revoke
from certeval.results.models import Award
from certeval.results.tests.test_candidate_results import decide_pix, publish

pytestmark = pytest.mark.django_db


def _structure(node: Any, roles: set[str], alts: list[str]) -> None:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, dict):
        if "/S" in node:
            roles.add(str(node["/S"]))
        if "/Alt" in node:
            alts.append(str(node["/Alt"]))
        if "/K" in node:
            _structure(node["/K"], roles, alts)
    elif isinstance(node, list):
        for child in node:
            _structure(child, roles, alts)


def _text(reader: PdfReader) -> str:
    return " ".join((page.extract_text() or "") for page in reader.pages)


def test_the_attestation_is_a_tagged_french_pdf_with_level_competences_validity_and_code(settings) -> None:
    settings.CERTEVAL_SITE_URL = "https://certeval.example.fr/"
    jc = jury_campaign(candidates=1)
    decide_pix(jc)
    publish(jc)
    award = Award.objects.get()
    reader = PdfReader(io.BytesIO(attestation_pdf(award)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert bool(root["/MarkInfo"]["/Marked"])
    roles: set[str] = set()
    alts: list[str] = []
    _structure(root["/StructTreeRoot"], roles, alts)
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure"} <= roles
    assert alts == ["QR code menant à la page de vérification de cette attestation"]
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    metadata = root["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid:part" in metadata and ">1<" in metadata.replace('"1"', ">1<")
    text = _text(reader)
    assert "Attestation de certification" in text
    assert "Confirmé" in text and award.candidate.display_name in text
    assert "Compétences acquises" in text and "Compétences à travailler" in text
    assert "sans limite de durée" in text
    assert award.grouped_code in text
    assert f"https://certeval.example.fr/verifier/{award.code}/" in text.replace("\n", "")


def test_a_revoked_attestation_says_so(settings) -> None:
    jc = jury_campaign(candidates=1)
    decide_pix(jc)
    publish(jc)
    award = award_revoke(Award.objects.get(), jc.organiser, "Fraude")
    text = _text(PdfReader(io.BytesIO(attestation_pdf(award))))
    assert "Attestation révoquée le" in text
