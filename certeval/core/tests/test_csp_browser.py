"""The content security policy breaks no page: a browser visits a representative set of pages of the
demo in both themes, as each role, with htmx at work (the candidate's answer and the sitting's
polling, the invigilator console's polling, the dashboard's filter), and no
``securitypolicyviolation`` event is ever fired (docs/security-http.md)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo-certeval"

# Every violation is kept on the page (an init script runs before any of the page's own scripts).
COLLECT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    [event.effectiveDirective, event.blockedURI, event.sourceFile, event.lineNumber, event.sample].join(" | ")
  );
});
"""


def role_page(browser: Any, live_server: Any, email: str | None) -> Any:
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    context.set_default_timeout(30_000)
    context.add_init_script(COLLECT)
    page = context.new_page()
    if email:
        page.goto("/comptes/connexion/")
        page.get_by_label("Adresse électronique").fill(email)
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()
        if "/comptes/second-facteur/" in page.url:  # staff: the second factor, then their page
            from certeval.accounts.models import User
            from conftest import second_factor_code

            page.get_by_label("Code de vérification").fill(second_factor_code(User.objects.get(email=email)))
            page.get_by_role("button", name="Vérifier").click()
            page.wait_for_load_state()
    return page


def visit(page: Any, url: str, seen: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    check(page, url, seen)


def check(page: Any, where: str, seen: list[str]) -> None:
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # violations are reported asynchronously
    seen += [f"{where}: {v}" for v in page.evaluate("window.__cspViolations")]
    page.evaluate("window.__cspViolations = []")


def test_no_page_of_the_demo_violates_the_content_security_policy(browser, live_server, settings) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    from certeval.campaigns.models import Campaign
    from certeval.juries.models import OralSlot

    if connection.vendor != "sqlite":
        pytest.skip("the policy does not depend on the database: this walk of the demo runs in the SQLite stage")
    out = io.StringIO()
    call_command("demo", stdout=out)
    access_code = re.search(r"with the access code (\S+)", out.getvalue())
    assert access_code is not None
    main = "Pix+ Édu — campagne 2025-2026"
    campaign_pk = Campaign.objects.get(title=main).pk
    slot = OralSlot.objects.filter(
        jury__campaign__title=main, jury__members__juror__user__email="jure@demo.certeval.fr"
    ).first()
    assert slot is not None
    harmonisation = re.search(r"harmonisation at (/jurys/oral/\d+/harmoniser/)", out.getvalue())
    stats = re.search(r"(/statistiques/campagne/\d+/)", out.getvalue())
    assert harmonisation and stats
    seen: list[str] = []

    # The collector sees a violation: an inline style set by a script is refused and reported.
    page = role_page(browser, live_server, None)
    visit(page, "/", seen)
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(300)
    assert any("style-src-attr" in v for v in page.evaluate("window.__cspViolations"))

    for theme in ("neutre", "etat"):
        settings.CERTEVAL_THEME = theme
        page = role_page(browser, live_server, None)
        for url in ("/", "/comptes/connexion/", "/referentiels/", "/verifier/", "/accessibilite/"):
            visit(page, url, seen)
        page.goto("/api/docs")
        page.locator(".opblock").first.wait_for()
        page.locator(".opblock-summary").first.click()
        check(page, "/api/docs", seen)

        # The candidate's space, then the proctored test (joined with the access code) and one
        # answer sent by htmx.
        page = role_page(browser, live_server, "candidat@demo.certeval.fr")
        for url in ("/mes-certifications/", "/tests-en-ligne/", "/tests-en-ligne/entrainement/"):
            visit(page, url, seen)
        page.context.clear_cookies()
        visit(page, "/epreuve/", seen)
        page.get_by_label("Code d'accès de la session").fill(access_code.group(1))
        page.get_by_label("Nom de naissance ou nom d'usage").fill("Candidate")
        page.get_by_label("Date de naissance").fill("01/01/1975")
        page.get_by_role("button", name="Rejoindre l'épreuve").click()
        start = page.get_by_role("button", name="Commencer l'épreuve")
        if theme == "neutre":  # the second time, the test is already under way
            start.click()
        heading = page.get_by_role("heading", name=re.compile(r"Question \d+ sur"))
        expect(heading).to_be_visible()
        before = heading.inner_text()
        page.get_by_role("button", name="Je passe").click()
        expect(page.get_by_role("heading", name=re.compile(r"Question \d+ sur"))).not_to_have_text(before)
        page.wait_for_timeout(3500)  # a heartbeat and the polling of the messages
        check(page, "sitting", seen)

        page = role_page(browser, live_server, "jure@demo.certeval.fr")
        visit(page, "/jurys/", seen)
        visit(page, f"/jurys/oral/{slot.pk}/evaluer/", seen)

        page = role_page(browser, live_server, "president@demo.certeval.fr")
        visit(page, harmonisation.group(1), seen)

        page = role_page(browser, live_server, "organisateur@demo.certeval.fr")
        visit(page, "/campagnes/", seen)
        page.get_by_role("link", name=main).first.click()
        check(page, "campaign", seen)
        visit(page, stats.group(1), seen)
        visit(page, reverse("results:dashboard", args=[campaign_pk]), seen)
        with page.expect_response(lambda r: "recherche=" in r.url):
            page.locator("#id_recherche").fill("MULLER")
        expect(page.locator("#candidates")).to_contain_text("MULLER")
        check(page, "dashboard filter", seen)

        page = role_page(browser, live_server, "surveillant@demo.certeval.fr")
        visit(page, "/surveillance/", seen)
        page.get_by_role("link", name=re.compile("session du jour")).first.click()
        expect(page.locator("#console-live")).to_be_visible()
        page.wait_for_timeout(3500)  # the live table and the alerts poll every 3 s
        check(page, "console", seen)

        page = role_page(browser, live_server, "admin@demo.certeval.fr")
        visit(page, "/admin/", seen)

    assert seen == []
