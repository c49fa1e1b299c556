"""English interface: the language switch, English pages, and a complete, compiled catalogue.

The catalogue checks read certeval/locale/en/LC_MESSAGES/django.po with a small parser of
their own (no dependency): every entry translated, none fuzzy, the same placeholders in
French and English, and a django.mo that holds exactly what the .po says.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from certeval.frameworks.services import framework_publish_directory

THEMES = ["neutre", "etat"]
LC_MESSAGES = Path(django_settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"


# --- Pages in English -------------------------------------------------------------------


def english_client(client: Client) -> Client:
    """Switch the client to English the way the header's language selector does."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return str(response.content.decode())


def assert_english_shell(html: str) -> None:
    assert '<html lang="en"' in html
    for english in ("Skip to content", "Home", "Competency frameworks", "Language", "Sign in"):
        assert english in html, english
    for french in ("Aller au contenu", "Accueil", "Référentiels", "Se connecter", "Menu principal"):
        assert french not in html, french


@pytest.mark.django_db
@pytest.mark.parametrize("theme", THEMES)
def test_language_switch_gives_english_pages(client: Client, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    assert '<html lang="fr"' in page(client, "/")
    english_client(client)

    home = page(client, reverse("home"))
    assert_english_shell(home)
    assert "Certifying professional competences, end to end" in home
    assert "Certeval runs competency-based certifications for teachers and trainers" in home

    frameworks = page(client, reverse("frameworks:list"))
    assert_english_shell(frameworks)
    assert "<h1>Certification competency frameworks</h1>" in frameworks
    assert 'aria-current="page"' in frameworks

    login = page(client, reverse("accounts:login"))
    assert_english_shell(login)
    assert "<h1>Sign in</h1>" in login
    assert "Email address" in login and "Password" in login


@pytest.mark.django_db
def test_english_framework_pages_with_published_frameworks(client: Client) -> None:
    framework_publish_directory()
    english_client(client)
    html = page(client, reverse("frameworks:list"))
    assert "Source:" in html and "Source :" not in html
    assert re.search(r"\d+ (domains or blocks|domain or block)", html)
    home = page(client, reverse("home"))
    assert re.search(r"Version \d+", home)
    search = page(client, reverse("frameworks:search") + "?q=donnees")
    assert "Search the competency frameworks" in search


@pytest.mark.django_db
def test_french_stays_the_default(client: Client) -> None:
    html = page(client, reverse("accounts:login"))
    assert '<html lang="fr"' in html and "<h1>Connexion</h1>" in html


# --- The catalogue ----------------------------------------------------------------------


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def parse_po(path: Path) -> list[Entry]:
    """The active entries of a .po file (obsolete '#~' entries are left out)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    flags: set[str] = set()

    def finish() -> None:
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#,"):
            finish()
            flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            if line.startswith("#~"):
                finish()
                flags = set()
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            assert current is not None and target is not None, f"{path}:{number}: stray string"
            value = ast.literal_eval(line)
        else:
            value = ast.literal_eval(rest)
            if keyword in ("msgctxt", "msgid") and (current is None or current.msgstr):
                finish()
            if current is None:
                current, flags = Entry(line=number, flags=flags), set()
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                target = ("msgstr", int(match.group(1)))
            elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
                target = (keyword, 0)
            else:
                raise AssertionError(f"{path}:{number}: unexpected {keyword!r}")
            if target[0] == "msgstr":
                current.msgstr.setdefault(target[1], "")
            elif target[0] != "msgid":
                setattr(current, target[0], "")
        name, index = target
        if name == "msgstr":
            current.msgstr[index] += value
        else:
            setattr(current, name, (getattr(current, name) or "") + value)
    finish()
    return entries


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%%|%[sdif]")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    assert PO.exists(), f"{PO} is missing: run `make messages`"
    return parse_po(PO)


def test_catalogue_is_complete(catalogue: list[Entry]) -> None:
    header = [e for e in catalogue if e.key == ""]
    assert len(header) == 1 and "Language: en" in header[0].msgstr[0]
    entries = [e for e in catalogue if e.key != ""]
    assert len(entries) > 500, "the catalogue looks truncated"
    untranslated = [e.msgid for e in entries if not e.msgstr or not all(e.msgstr.values())]
    assert not untranslated, f"untranslated entries in {PO.name}: {untranslated}"
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags and e.key != ""]
    assert not fuzzy, f"fuzzy entries in {PO.name} (check the translation, then drop the flag): {fuzzy}"
    plural = [e.msgid for e in entries if e.msgid_plural is not None and sorted(e.msgstr) != [0, 1]]
    assert not plural, f"plural entries need msgstr[0] and msgstr[1]: {plural}"


def test_catalogue_keeps_placeholders(catalogue: list[Entry]) -> None:
    wrong: list[tuple[str, object, object]] = []
    for e in catalogue:
        if e.key == "":
            continue
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        for index, translation in e.msgstr.items():
            source = sources[min(index, len(sources) - 1)]
            # A singular form may spell its count out ("one error") but nothing else may change.
            expected = placeholders(source)
            got = placeholders(translation)
            if got != expected and not (e.msgid_plural is not None and set(got) <= set(expected)):
                wrong.append((e.msgid, expected, got))
            for edge in (str.startswith, str.endswith):
                for blank in (" ", "\n"):
                    if edge(source, blank) != edge(translation, blank):
                        wrong.append((e.msgid, "leading/trailing blank", repr(translation)))
    assert not wrong, wrong


def test_compiled_catalogue_matches_the_po(catalogue: list[Entry]) -> None:
    assert MO.exists(), f"{MO} is missing: run `make messages` and commit it"
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    expected: dict[object, str] = {}
    for e in catalogue:
        if e.key == "" or "fuzzy" in e.flags:
            continue
        if e.msgid_plural is None:
            expected[e.key] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                expected[(e.key, index)] = text
    actual = {k: v for k, v in compiled._catalog.items() if k != ""}  # type: ignore[attr-defined]
    stale = sorted(str(k) for k in expected.keys() ^ actual.keys())
    stale += sorted(str(k) for k in expected.keys() & actual.keys() if expected[k] != actual[k])
    assert not stale, f"django.mo is out of date with django.po (run compilemessages): {stale[:20]}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU msgfmt is not installed")
def test_compiled_catalogue_is_the_po_compiled() -> None:
    compiled = subprocess.run(
        ["msgfmt", "--check", "-o", "-", str(PO)], capture_output=True, check=False, timeout=60
    )
    assert compiled.returncode == 0, compiled.stderr.decode()
    assert compiled.stdout == MO.read_bytes(), (
        "django.mo differs from django.po compiled: run compilemessages"
    )
