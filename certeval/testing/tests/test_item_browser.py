"""The item writers' pages pass axe-core: a writer writes an item with the keyboard-reachable editor
(with an error first), previews it; a second writer reviews it from the queue; the coverage table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from certeval.testing.models import Item
from certeval.testing.tests.item_factories import BANK, bank, writer
from conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BASE = f"/banque-de-questions/{BANK}"


def test_write_preview_and_review_an_item(page: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    bank()
    author, reviewer = writer(), writer()
    sign_in(page, author.email)
    page.goto("/")
    page.get_by_role("link", name="Banques de questions").click()
    page.get_by_role("link", name="Certification Pix+ Édu", exact=False).first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Écrire une nouvelle question").click()
    page.get_by_label("Code").fill("crcn-edu-1.1-b01")
    page.get_by_label("Compétence du référentiel publié").select_option("crcn-edu:1.1")
    page.get_by_label("Énoncé").fill("Quel canal utiliser pour écrire aux familles ?")
    page.get_by_label("Proposition A").fill("La messagerie de l'ENT")
    page.get_by_label("Proposition B").fill("Un réseau social")
    page.get_by_label("Proposition C").fill("Un SMS personnel")
    page.get_by_label("Explication").fill("L'ENT est le canal institutionnel.")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Une question à choix unique a exactement une bonne réponse.").wait_for()
    assert_accessible(page)
    page.locator("#id_correct_0").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Question créée en brouillon").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Aperçu comme le candidat la voit").click()
    page.get_by_label("La messagerie de l'ENT").check()
    page.get_by_role("button", name="Valider ma réponse").click()
    page.get_by_text("Réponse juste.").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Retour à la question").click()
    page.get_by_role("button", name="Soumettre à la relecture").click()
    page.get_by_text("Question soumise à la relecture").wait_for()
    page.goto(f"{BASE}/couverture/")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, reviewer.email)
    page.goto(f"{BASE}/relecture/")
    page.get_by_role("link", name="Relire crcn-edu-1.1-b01").click()
    assert_accessible(page)
    page.get_by_label("Valider la relecture").check()
    page.get_by_role("button", name="Enregistrer la relecture").click()
    page.get_by_text("Relecture validée.").wait_for()
    assert Item.objects.get(code="crcn-edu-1.1-b01").status == "reviewed"
