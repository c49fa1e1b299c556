"""The HTTP security headers of every response (docs/security-http.md): the content security policy
with this response's nonce, the Permissions-Policy, Cross-Origin-Opener-Policy, HSTS over HTTPS; and
the templates that the policy would break (no inline script, style or event handler without a nonce)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings

from certeval.core.permissions_policy import SELF, PermissionsPolicyMiddleware, permissions_policy

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_a_page_carries_the_policy_with_its_own_nonce(client: Client, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    first, second = client.get("/"), client.get("/")
    policy = directives(first["Content-Security-Policy"])
    nonce = re.search(r"'nonce-([^']+)'", first["Content-Security-Policy"])
    assert nonce is not None
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce.group(1)}'"]
    assert policy["style-src"] == ["'self'", f"'nonce-{nonce.group(1)}'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "unsafe-inline" not in first["Content-Security-Policy"]
    # The page's scripts carry the nonce of the header; each response has its own.
    assert f'nonce="{nonce.group(1)}"' in first.content.decode()
    assert nonce.group(1) not in second["Content-Security-Policy"]
    html = first.content.decode()
    assert '<meta name="htmx-config"' in html
    assert '"includeIndicatorStyles": false' in html and '"allowEval": false' in html
    assert '"historyCacheSize": 0' in html  # no page snapshot kept in the browser's localStorage


def test_no_script_of_ours_keeps_data_in_the_browser() -> None:
    """OWASP ASVS 8.2.2: nothing about a person is kept in the browser's storage — our scripts use
    none of it, and htmx's history cache (localStorage) is off (above)."""
    package = Path(__file__).resolve().parents[2]
    scripts = sorted(package.glob("*/static/**/*.js"))
    assert scripts
    for script in scripts:
        text = script.read_text(encoding="utf-8")
        for storage in ("localStorage", "sessionStorage", "indexedDB", "document.cookie"):
            assert storage not in text, (script, storage)


def test_report_only_mode_for_the_rollout(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    policy = settings.SECURE_CSP
    settings.SECURE_CSP, settings.SECURE_CSP_REPORT_ONLY = {}, policy
    response = client.get("/")
    assert "Content-Security-Policy" not in response
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy-Report-Only"]


def test_the_other_headers_on_pages_api_and_errors(client: Client) -> None:
    for url in ("/", "/api/v1/frameworks/", "/nulle-part/", "/epreuve/"):
        response = client.get(url)
        features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
        for denied in (
            "camera",
            "microphone",
            "geolocation",
            "payment",
            "usb",
            "fullscreen",
            "display-capture",
        ):
            assert features[denied] == "()", (url, denied)
        assert features["publickey-credentials-get"] == "(self)"  # passkeys
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_a_signed_in_persons_pages_are_neither_shared_nor_stored_by_caches(client: Client) -> None:
    from certeval.campaigns.tests.factories import UserFactory

    assert "private" not in client.get("/").get("Cache-Control", "")  # public pages may be cached
    client.force_login(UserFactory())
    for url in ("/", "/donnees-personnelles/mes-donnees/", "/nulle-part/"):
        directives = {d.strip() for d in client.get(url)["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url


def test_a_view_opens_exactly_the_feature_it_needs() -> None:
    @permissions_policy(camera=SELF)
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    response = PermissionsPolicyMiddleware(view)(RequestFactory().get("/"))
    features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
    assert features["camera"] == "(self)"
    assert features["microphone"] == "()"


@override_settings(
    SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True
)
def test_hsts_over_https(client: Client) -> None:
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in client.get("/")


@override_settings(SECURE_SSL_REDIRECT=True)
@pytest.mark.django_db
def test_plain_http_is_sent_to_https(client: Client) -> None:
    response = client.get("/referentiels/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    # The probes of the load balancer and of Prometheus, inside the network, are answered.
    assert client.get("/sante/").status_code == 200
    assert client.get("/pret/").status_code == 200


# --- what the policy would break ----------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
STYLE_ELEMENT = re.compile(r"<style\b[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
NONCE = 'nonce="{{ csp_nonce }}"'
COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.S)


def page_templates() -> list[Path]:
    """Every HTML template of the site; PDF templates are rendered by WeasyPrint, not by a browser."""
    return [p for p in (ROOT / "certeval").rglob("templates/**/*.html") if not p.name.endswith("_pdf.html")]


def test_no_template_has_an_inline_script_style_or_handler_without_the_nonce() -> None:
    templates = page_templates()
    assert len(templates) > 100
    problems = []
    for path in templates:
        text = COMMENT.sub("", path.read_text(encoding="utf-8"))
        for tag in INLINE_SCRIPT.findall(text) + STYLE_ELEMENT.findall(text):
            if NONCE not in tag:
                problems.append(f"{path.relative_to(ROOT)}: {tag} without {NONCE}")
        for pattern, what in (
            (HANDLER, "an inline event handler"),
            (STYLE_ATTRIBUTE, 'a style="" attribute'),
        ):
            for match in pattern.finditer(text):
                problems.append(
                    f"{path.relative_to(ROOT)}: {what} near {text[match.start() : match.start() + 40]!r}"
                )
        if "javascript:" in text:
            problems.append(f"{path.relative_to(ROOT)}: a javascript: address")
    assert problems == []


def test_the_scan_finds_what_it_looks_for() -> None:
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js"></script>')
    assert STYLE_ELEMENT.search("<style>p{}</style>")
    assert HANDLER.search('<a onclick="x()">')
    assert not HANDLER.search('<a data-on="x">')
    assert STYLE_ATTRIBUTE.search('<span style="width: 3%">')
    assert COMMENT.sub("", "a{# <style> #}b{% comment %}<script>{% endcomment %}c") == "abc"
