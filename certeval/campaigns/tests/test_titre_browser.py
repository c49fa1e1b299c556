"""A title candidate reads their bloc record on « Mes blocs », chooses the blocs they present (a
held bloc cannot be ticked) and sees the épreuves that follow; axe-core finds no violation."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from certeval.campaigns.models import Enrolment
from certeval.campaigns.tests.factories import EnrolmentFactory
from certeval.campaigns.tests.test_titre_enrolment import holding, titre_campaign
from conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_candidate_chooses_blocs_in_their_space(page) -> None:  # type: ignore[no-untyped-def]
    enrolment = EnrolmentFactory(campaign=titre_campaign())
    holding(enrolment, "1", on=date(2025, 6, 12))
    sign_in(page, enrolment.candidate.user.email)
    page.goto("/campagnes/mes-blocs/")
    expect(page.get_by_role("heading", name="Mes blocs de compétences")).to_be_visible()
    held = page.get_by_role("region", name="Titre — session 2").get_by_label("Bloc 1 — ", exact=False)
    expect(held).to_be_disabled()
    assert_accessible(page)
    current = page.get_by_role("region", name="Titre — session 2")
    # No choice yet: every bloc not held is ticked; the candidate keeps blocs 3 and 4.
    expect(current.get_by_label("Bloc 2 — ", exact=False)).to_be_checked()
    for bloc in "256":
        current.get_by_label(f"Bloc {bloc} — ", exact=False).uncheck()
    current.get_by_role("button", name="Enregistrer les blocs présentés").click()
    expect(page.get_by_text("Blocs présentés enregistrés.")).to_be_visible()
    current = page.get_by_role("region", name="Titre — session 2")
    expect(current.get_by_role("table", name="Épreuves des blocs présentés")).to_contain_text(
        "Écrit professionnel"
    )
    assert_accessible(page)
    assert Enrolment.objects.get(pk=enrolment.pk).blocs == ["3", "4"]
