from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from certeval.frameworks.services import framework_publish_directory
from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_catalogue_pages_are_accessible_in_a_real_browser(page, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    framework_publish_directory()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, url in [
        ("accueil", "/"),
        ("referentiels", "/referentiels/"),
        ("pix-plus-edu", "/referentiels/pix-plus-edu/"),
        ("grilles", "/referentiels/pix-plus-edu/?onglet=grilles"),
        ("recherche", "/referentiels/recherche/?q=donnees"),
    ]:
        page.goto(url)
        expect(page.locator("h1").first).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / f"{theme}-{name}.png"), full_page=name == "accueil")
        assert_accessible(page)
    # Keyboard users reach the content first through the skip link.
    page.goto("/referentiels/")
    page.keyboard.press("Tab")
    assert "contenu" in (page.evaluate("document.activeElement.getAttribute('href')") or "")
