"""Nothing is fetched from another site at run time: every script, stylesheet and icon of the pages
and of the API docs is served by Certeval itself."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ASSET = re.compile(r"<(?:script|link|img)\b[^>]*?\b(?:src|href)=\"([^\"]+)\"", re.IGNORECASE)


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_pages_and_api_docs_use_only_local_assets(client: Client, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    for url in ("/", "/referentiels/", "/comptes/connexion/", "/api/docs"):
        response = client.get(url)
        assert response.status_code == 200, url
        assets = ASSET.findall(response.content.decode())
        assert assets, url
        assert [a for a in assets if not a.startswith("/")] == [], url
