from __future__ import annotations

import pytest
from django import forms
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import Client, RequestFactory

from certeval.accounts.models import User

pytestmark = pytest.mark.django_db


class SampleForm(forms.Form):
    email = forms.EmailField(label="Adresse électronique", help_text="Votre adresse professionnelle")
    level = forms.ChoiceField(label="Niveau", choices=[("initie", "Initié"), ("expert", "Expert")])


def render(source: str, **context: object) -> str:
    request = RequestFactory().get("/")
    return Template("{% load ui %}" + source).render(Context({"request": request, **context}))


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_components_render_in_both_themes(settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    form = SampleForm(data={"email": "pas-une-adresse", "level": "expert"})
    assert not form.is_valid()
    html = render("{% ui_field form.email %}{% ui_field form.level %}", form=form)
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email-hint id_email-errors"' in html
    assert ("fr-input" in html) == (theme == "etat")
    assert ("fr-select" in html) == (theme == "etat")
    html = render('{% ui_button "Envoyer" %}{% ui_button "Retour" href="/" kind="secondary" %}')
    assert '<button class="' in html and 'href="/"' in html
    html = render('{% ui_alert "Enregistré" level="success" %}{% ui_alert "Erreur" level="error" %}')
    assert 'role="status"' in html and 'role="alert"' in html
    html = render(
        '{% ui_table "Légende" headers rows row_headers=True %}', headers=["A", "B"], rows=[["x", "y"]]
    )
    assert "<caption>Légende</caption>" in html and '<th scope="row">x</th>' in html
    html = render(
        '{% ui_table_markup caption %}<tbody><tr><td><a href="/x">{{ name }}</a></td></tr></tbody>'
        "{% end_ui_table_markup %}",
        caption="Jurés",
        name="<b>Ana</b>",
    )
    assert "<caption>Jurés</caption>" in html and '<a href="/x">&lt;b&gt;Ana&lt;/b&gt;</a>' in html
    assert ('class="fr-table' in html) == (theme == "etat") and html.count("<table") == 1
    tabs = [
        {"label": "Un", "url": "?t=1", "current": True},
        {"label": "Deux", "url": "?t=2", "current": False},
    ]
    assert 'aria-current="page"' in render('{% ui_tabs tabs "Sections" %}', tabs=tabs)
    page = Paginator(list(range(30)), 10).page(2)
    html = render("{% ui_pagination page %}", page=page)
    assert "page=1" in html and "page=3" in html
    html = render("{% ui_breadcrumb items %}", items=[("Accueil", "/"), ("Ici", "")])
    assert 'aria-current="page">Ici' in html


@pytest.mark.parametrize("theme", ["neutre", "etat"])
def test_login_logout_and_pages(client: Client, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    User.objects.create_user("ana@example.fr", "un-mot-de-passe-long")
    for url in ("/", "/accessibilite/", "/comptes/connexion/"):
        assert client.get(url).status_code == 200
    bad = client.post("/comptes/connexion/", {"username": "ana@example.fr", "password": "faux"})
    assert bad.status_code == 200 and "mot de passe valides" in bad.content.decode()
    ok = client.post(
        "/comptes/connexion/", {"username": "ANA@example.fr", "password": "un-mot-de-passe-long"}
    )
    assert ok.status_code == 302
    assert "Se déconnecter" in client.get("/").content.decode()


def test_english_is_available(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html


def test_french_unless_english_is_chosen(client: Client) -> None:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fr">' in html
