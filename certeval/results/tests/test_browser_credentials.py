"""The holder downloads their badge image from « Mes attestations »: the PNG carries the signed
credential, which verifies. axe-core finds no violation on the page with the download links."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from certeval.domain.credentials import baking
from certeval.juries.tests.test_browser import sign_in
from certeval.results.credential_services import verify_offline
from certeval.results.models import Award
from certeval.results.tests.credential_fixtures import certified_campaign
from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_holder_downloads_a_baked_badge_that_verifies(page) -> None:  # type: ignore[no-untyped-def]
    certified_campaign()
    award = Award.objects.select_related("candidate__user").get()
    sign_in(page, award.candidate.user.email)
    page.goto("/mes-attestations/")
    expect(page.get_by_role("heading", name="Badge numérique (Open Badges 3.0)")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role(
            "link", name=f"Image du badge avec le justificatif intégré (PNG) — {award.grouped_code}"
        ).click()
    download = download_info.value
    assert download.suggested_filename == f"openbadge-{award.grouped_code}.png"
    token = baking.extract(Path(download.path()).read_bytes())
    assert token is not None
    result = verify_offline(token)
    assert result.ok, result.reasons
