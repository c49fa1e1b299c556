"""Jury pages: permissions, autosave, reveal after submission, harmonisation, PDF, bank, feedback."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from certeval.campaigns.tests.factories import UserFactory
from certeval.domain.sources import SEED_FILE
from certeval.frameworks.selectors import framework_of
from certeval.juries import selectors
from certeval.juries.models import GridScore, JuryQuestion
from certeval.juries.services.composition import jury_group_set_president
from certeval.juries.services.deliberation import deliberation_reopen, deliberation_validate
from certeval.juries.services.scoring import grid_score_save, grid_score_submit
from certeval.juries.tests.factories import jury_campaign
from certeval.juries.tests.test_services import CRITERIA, _harmonise

pytestmark = pytest.mark.django_db
THEMES = ["neutre", "etat"]


def login(client: Client, user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


def test_a_juror_sees_only_their_juries_candidates(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    other = jury_campaign(candidates=1)
    slot, foreign = jc.slot(), other.slot()
    login(client, jc.jurors[1].user)
    assert client.get(reverse("juries:score", args=[slot.pk])).status_code == 200
    assert client.get(reverse("juries:score", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("juries:jury", args=[foreign.jury_id])).status_code == 404
    assert client.get(reverse("juries:harmonise", args=[slot.pk])).status_code == 404
    assert client.get(reverse("juries:campaign", args=[jc.campaign.pk])).status_code == 404
    # The dossier pages of issue 4 follow the jury assignments.
    assert client.get(reverse("campaigns:enrolment", args=[slot.enrolment_id])).status_code == 200
    assert client.get(reverse("campaigns:enrolment", args=[foreign.enrolment_id])).status_code == 404
    mine = client.get(reverse("juries:mine")).content.decode()
    assert slot.enrolment.candidate.display_name in mine and "à évaluer" in mine
    assert foreign.enrolment.candidate.display_name not in mine
    grid_score_save(slot=slot, juror=jc.jurors[1], levels={"1.1": "avance", "1.2": "expert"})
    assert "en cours (2 critères évalués)" in client.get(reverse("juries:mine")).content.decode()
    login(client, UserFactory())
    assert client.get(reverse("juries:score", args=[slot.pk])).status_code == 404


def test_the_president_is_not_a_scorer_and_the_organiser_composes(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    slot = jc.slot()
    login(client, jc.president)
    assert client.get(reverse("juries:score", args=[slot.pk])).status_code == 404
    assert client.get(reverse("juries:harmonise", args=[slot.pk])).status_code == 200
    assert client.get(reverse("juries:agreement", args=[slot.jury_id])).status_code == 200
    login(client, jc.organiser)
    html = client.get(reverse("juries:campaign", args=[jc.campaign.pk])).content.decode()
    assert "Jury 1" in html and jc.jurors[0].display_name in html
    assert "Membre de la DRANE, Inspecteur, Personnel de direction : de 1 à 3" in html
    assert "Expert Pix+ Édu : de 1 à 2" in html
    response = client.post(reverse("juries:compose", args=[jc.campaign.pk]), follow=True)
    assert "jurys composés" in response.content.decode()
    assert "solution optimale — écart à l'optimum 0,0 %" in response.content.decode()


def test_autosave_keeps_every_field_and_the_form_posts_without_javascript(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    slot, juror = jc.slot(), jc.jurors[0]
    login(client, juror.user)
    url = reverse("juries:autosave", args=[slot.pk])
    response = client.post(
        url, {"level-1.1": "avance", "comment-1": "Séance bien construite"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Enregistré à" in response.content.decode()
    client.post(url, {"level-1.2": GridScore.NON_OBSERVABLE}, HTTP_HX_REQUEST="true")
    score = GridScore.objects.get(slot=slot, juror=juror)
    assert score.levels == {"1.1": "avance", "1.2": GridScore.NON_OBSERVABLE}
    assert score.comments == {"1": "Séance bien construite"}
    html = client.get(reverse("juries:score", args=[slot.pk])).content.decode()
    assert 'value="avance" checked' in html and "Séance bien construite" in html
    # Without JavaScript: the normal submit saves and submits.
    data = {f"level-{c}": "confirme" for c in CRITERIA} | {"action": "submit"}
    response = client.post(reverse("juries:score", args=[slot.pk]), data, follow=True)
    assert "Évaluation transmise" in response.content.decode()
    assert GridScore.objects.get(slot=slot, juror=juror).submitted_at is not None


def test_others_scores_are_revealed_only_after_submitting_ones_own(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    slot = jc.slot()
    first, second = jc.jurors[0], jc.jurors[1]
    login(client, first.user)
    client.post(
        reverse("juries:score", args=[slot.pk]),
        {f"level-{c}": "expert" for c in CRITERIA} | {"action": "submit"},
    )
    login(client, second.user)
    html = client.get(reverse("juries:score", args=[slot.pk])).content.decode()
    assert first.display_name not in html
    assert "visibles après la transmission" in html
    client.post(
        reverse("juries:score", args=[slot.pk]),
        {f"level-{c}": "avance" for c in CRITERIA} | {"action": "submit"},
    )
    html = client.get(reverse("juries:score", args=[slot.pk])).content.decode()
    assert first.display_name in html and "Expert" in html and "Avancé" in html


def test_scoring_page_query_count_and_full_grid(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    jc = jury_campaign(candidates=1)
    slot = jc.slot()
    login(client, jc.jurors[0].user)
    url = reverse("juries:score", args=[slot.pk])
    client.post(reverse("juries:autosave", args=[slot.pk]), {f"level-{c}": "avance" for c in CRITERIA})
    client.get(url)  # parses and caches the référentiel, as the first request of a worker does
    # 13: the page's own queries plus the navigation (roles once per request, item writer or not) and
    # the second factor verified by the session (its device, django-otp's middleware).
    with django_assert_max_num_queries(13):
        response = client.get(url)
    html = response.content.decode()
    framework, rules = framework_of(jc.campaign.framework_version)
    grid = selectors.dossier_grid(framework, rules)
    for phase in grid.phases:
        for item in phase.items:
            for criterion in item.criteria:
                for descriptor in criterion.descriptors.values():
                    assert descriptor.replace("'", "&#x27;").replace('"', "&quot;") in html
    # The 16 criteria (4 levels + « non observable ») and the oral sheet's 5 domains (4 levels +
    # « non évalué »).
    assert html.count('type="radio"') == 16 * 5 + 5 * 5
    # Its server time is measured by bench/scoring_page.py (docs/benchmarks.md), not here.


def test_harmonisation_validation_and_score_sheet_pdf(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    slot = jc.slot()
    login(client, jc.president)
    data = {f"level-{c}": "avance" for c in CRITERIA} | {f"oral-{d}": "avance" for d in "12345"}
    data |= {"comment-1": "Consensus", "oralcomment-2": "Ressources bien choisies"}
    response = client.post(reverse("juries:harmonise", args=[slot.pk]), data, follow=True)
    html = response.content.decode()
    assert "Niveaux calculés" in html and "Valider la décision" in html
    response = client.post(reverse("juries:validate", args=[slot.pk]), follow=True)
    html = response.content.decode()
    assert "Décision validée" in html and "Ouvrir une nouvelle délibération" in html
    # Reasons cite the source document by its title, not by its file name.
    assert "(Certification Pix+ Édu — Rapport de jury 2022-2023 (septembre 2023), Annexe 3" in html
    assert not SEED_FILE.search(html)
    pdf = client.get(reverse("juries:score_sheet", args=[slot.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Bordereau d'évaluation pour l'entretien" in text
    assert "Niveau final atteint : Confirmé — Certifié" in text
    assert "Ressources bien choisies" in text
    assert "Niveau de pratique professionnelle : Avancé" in text
    assert jc.president.get_full_name() in text
    # Jurors of the jury read the PDF; someone else gets the same 404 as for an absent page.
    login(client, jc.jurors[1].user)
    assert client.get(reverse("juries:score_sheet", args=[slot.pk])).status_code == 200
    login(client, UserFactory())
    assert client.get(reverse("juries:score_sheet", args=[slot.pk])).status_code == 404


def test_pdf_levels_follow_the_validated_deliberation(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    _harmonise(jc, "initie", "initie")
    deliberation_validate(slot=jc.slot(), actor=jc.president)
    login(client, jc.organiser)
    pdf = client.get(reverse("juries:score_sheet", args=[jc.slot().pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Niveau final atteint : Aucun niveau — Ajourné" in text
    assert "inférieur au niveau du volet automatisé" in text


def test_a_jurors_list_shows_where_they_stand_on_each_oral() -> None:
    jc = jury_campaign(candidates=1)
    slot, juror = jc.slot(), jc.jurors[0]
    assert selectors.scoring_progress_of_user(juror.user_id, [slot]) == {slot.pk: ("todo", 0)}
    grid_score_save(slot=slot, juror=juror, levels=dict.fromkeys(CRITERIA, "avance"))
    assert selectors.scoring_progress_of_user(juror.user_id, [slot]) == {slot.pk: ("started", 16)}
    grid_score_submit(slot=slot, juror=juror, actor=juror.user)
    assert selectors.scoring_progress_of_user(juror.user_id, [slot]) == {slot.pk: ("submitted", 16)}
    _harmonise(jc)
    assert selectors.decided_counts([slot.jury]) == {slot.jury_id: (0, 1)}
    deliberation_validate(slot=slot, actor=jc.president)
    assert selectors.scoring_progress_of_user(juror.user_id, [slot]) == {slot.pk: ("decided", 16)}
    assert selectors.decided_counts([slot.jury]) == {slot.jury_id: (1, 1)}
    client = Client()
    client.force_login(jc.president)
    assert "décisions validées : 1 / 1" in client.get(reverse("juries:mine")).content.decode()
    deliberation_reopen(slot=slot, actor=jc.president, reason="Erreur de saisie au critère 2.1")
    assert selectors.scoring_progress_of_user(juror.user_id, [slot]) == {slot.pk: ("submitted", 16)}
    assert selectors.decided_counts([slot.jury]) == {slot.jury_id: (0, 1)}


def test_question_bank_shows_annexe_8_and_jurors_add_their_own(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    login(client, jc.jurors[0].user)
    url = reverse("juries:questions", args=[jc.campaign.pk])
    html = client.get(url).content.decode()
    assert "Comment créer une communauté apprenante ?" in html
    client.post(url, {"domain": "2", "text": "Comment choisissez-vous vos ressources ?"})
    assert JuryQuestion.objects.get().author == jc.jurors[0].user
    assert "Comment choisissez-vous vos ressources ?" in client.get(url).content.decode()
    login(client, UserFactory())
    assert client.get(url).status_code == 404


def test_feedback_questionnaire_and_aggregated_results(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    url = reverse("juries:feedback", args=[jc.campaign.pk])
    for juror, mark in zip(jc.jurors, (4, 3, 2), strict=True):
        login(client, juror.user)
        answers = {
            "dossiers": mark,
            "traces": 3,
            "analyses": 2,
            "organisation": 4,
            "comment": f"Retour {mark}",
        }
        client.post(url, answers)
        assert "Résultats" not in client.get(url).content.decode()
    login(client, jc.president)
    html = client.get(url).content.decode()
    assert "3 réponse(s) sur 3 jurés" in html and "Retour 4" in html
    assert "<td>3</td>" in html  # mean of the dossiers topic (4 + 3 + 2) / 3


@pytest.mark.parametrize("theme", THEMES)
def test_every_jury_page_renders_in_both_themes(client: Client, settings, theme: str) -> None:  # type: ignore[no-untyped-def]
    settings.CERTEVAL_THEME = theme
    jc = jury_campaign(candidates=2)
    slot = jc.slot()
    login(client, jc.organiser)
    for url in (
        reverse("juries:mine"),
        reverse("juries:campaign", args=[jc.campaign.pk]),
        reverse("juries:jury", args=[slot.jury_id]),
        reverse("juries:questions", args=[jc.campaign.pk]),
        reverse("juries:feedback", args=[jc.campaign.pk]),
    ):
        assert client.get(url).status_code == 200, url
    login(client, jc.jurors[0].user)
    for url in (
        reverse("juries:mine"),
        reverse("juries:score", args=[slot.pk]),
        reverse("juries:jury", args=[slot.jury_id]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Mes jurys" in response.content.decode()
    login(client, jc.president)
    for url in (
        reverse("juries:agreement", args=[slot.jury_id]),
        reverse("juries:harmonise", args=[slot.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_the_presiding_juror_harmonises_only_after_submitting_their_own_scoring(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    slot = jc.slot()
    presiding = jc.jurors[0]  # the DRANE member presides the jury when its group has no president
    jury_group_set_president(group=slot.jury.group, president=None, actor=jc.organiser)
    jc.president = presiding.user
    login(client, jc.jurors[1].user)
    client.post(
        reverse("juries:score", args=[slot.pk]),
        {f"level-{c}": "expert" for c in CRITERIA} | {"action": "submit"},
    )
    login(client, presiding.user)
    response = client.get(reverse("juries:harmonise", args=[slot.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("juries:score", args=[slot.pk])
    html = client.get(reverse("juries:agreement", args=[slot.jury_id])).content.decode()
    assert "Transmettez votre propre évaluation" in html
    client.post(
        reverse("juries:score", args=[slot.pk]),
        {f"level-{c}": "initie" for c in CRITERIA} | {"action": "submit"},
    )
    assert client.get(reverse("juries:harmonise", args=[slot.pk])).status_code == 200
    html = client.get(reverse("juries:agreement", args=[slot.jury_id])).content.decode()
    assert "écart de 3 niveaux" in html and "Délibération pas encore commencée" in html
    _harmonise(jc)
    html = client.get(reverse("juries:agreement", args=[slot.jury_id])).content.decode()
    assert "En harmonisation" in html
    deliberation_validate(slot=slot, actor=jc.president)
    html = client.get(reverse("juries:agreement", args=[slot.jury_id])).content.decode()
    assert "Décision validée" in html and "Délibération pas encore commencée" not in html
