"""Score sheet texts (Annexes 4 and 5 of seed 004 beside each domain) and the consensus pre-fill of
the president's grid, through the web layer."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from certeval.frameworks.selectors import framework_of
from certeval.juries import selectors
from certeval.juries.errors import JuryError
from certeval.juries.models import Deliberation, GridScore
from certeval.juries.services.deliberation import deliberation_validate
from certeval.juries.services.scoring import grid_score_save, grid_score_submit
from certeval.juries.tests.factories import JuryCampaign, jury_campaign
from certeval.juries.tests.test_services import CRITERIA

pytestmark = pytest.mark.django_db
DOMAINS = ["1", "2", "3", "4", "5"]
ANNEXE_4_AVANCE = (
    "Le candidat est capable d&#x27;utiliser le numérique très régulièrement dans son activité professionnelle "
    "et de manière diversifiée. Sa maîtrise des savoirs lui permet une analyse réflexive riche."
)


def checked(html: str, name: str) -> str | None:
    """The value of the checked radio button of ``name``, if any."""
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)" checked', html)
    return match.group(1) if match else None


def _score_all(jc: JuryCampaign) -> None:
    """The three jurors agree everywhere but on criterion 1.2 and on domain 3; 2.1 is « non
    observable » for all; nobody evaluates domain 5."""
    split = {"1.2": ("avance", "confirme", "avance")}
    for position, juror in enumerate(jc.jurors):
        levels = {c: split[c][position] if c in split else "avance" for c in CRITERIA}
        levels["2.1"] = GridScore.NON_OBSERVABLE
        oral = {"1": "confirme", "2": "avance", "3": ("avance", "expert", "avance")[position], "4": "avance"}
        grid_score_save(slot=jc.slot(), juror=juror, levels=levels, oral_levels=oral)
        grid_score_submit(slot=jc.slot(), juror=juror, actor=juror.user)


def _president_on_scored_slot(client: Client) -> tuple[JuryCampaign, str]:
    """A candidate scored by the three jurors (``_score_all``), the president signed in; the
    harmonisation page's URL."""
    jc = jury_campaign(candidates=1)
    _score_all(jc)
    client.force_login(jc.president)
    return jc, reverse("juries:harmonise", args=[jc.slot().pk])


def test_the_juror_scores_the_oral_sheet_with_its_level_texts_and_descriptors(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    slot, juror = jc.slot(), jc.jurors[0]
    client.force_login(juror.user)
    url = reverse("juries:score", args=[slot.pk])
    html = client.get(url).content.decode()
    framework, _rules = framework_of(jc.campaign.framework_version)
    assert "Bordereau d&#x27;évaluation pour l&#x27;entretien" in html
    assert html.count(ANNEXE_4_AVANCE) == 5  # under « Avancé » of each domain
    for domain_id in DOMAINS:
        # The radio group is described by the list of the domain's competences, and the
        # disclosure beside it holds each competence's descriptor at each level (Annexe 5).
        assert f'aria-describedby="oral-{domain_id}-hint"' in html
        assert f'id="oral-descriptors-{domain_id}"' in html
        for competence in framework.domain(domain_id).competences:
            for descriptor in competence.descriptors.values():
                assert descriptor.replace("'", "&#x27;").replace('"', "&quot;") in html
    assert (
        "Je suis capable d&#x27;utiliser un outil ou un service numérique institutionnel pour communiquer"
        in html
    )
    # Autosave stores the domains sent, and keeps the ones it does not send.
    autosave = reverse("juries:autosave", args=[slot.pk])
    client.post(autosave, {"oral-1": "confirme", "oralcomment-1": "Communication claire."})
    client.post(autosave, {"oral-2": "avance"})
    score = GridScore.objects.get(slot=slot, juror=juror)
    assert score.oral_levels == {"1": "confirme", "2": "avance"}
    assert score.oral_comments == {"1": "Communication claire."}
    html = client.get(url).content.decode()
    assert checked(html, "oral-1") == "confirme" and checked(html, "oral-2") == "avance"
    # « Non évalué » clears a domain.
    client.post(autosave, {"oral-2": ""})
    assert GridScore.objects.get(slot=slot, juror=juror).oral_levels == {"1": "confirme"}


def test_bad_oral_input_is_refused_in_french_and_keeps_what_was_saved(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    slot, juror = jc.slot(), jc.jurors[0]
    grid_score_save(slot=slot, juror=juror, oral_levels={"1": "avance"})
    client.force_login(juror.user)
    response = client.post(reverse("juries:autosave", args=[slot.pk]), {"oral-1": "maitre"})
    assert response.status_code == 200 and response.content.decode() == "Niveau inconnu."
    response = client.post(reverse("juries:score", args=[slot.pk]), {"oral-3": "génie"}, follow=True)
    assert "Niveau inconnu." in response.content.decode()
    assert GridScore.objects.get(slot=slot, juror=juror).oral_levels == {"1": "avance"}
    with pytest.raises(JuryError, match="Domaine inconnu du bordereau"):
        grid_score_save(slot=slot, juror=juror, oral_levels={"9": "avance"})


def test_the_presidents_grid_starts_from_the_jurors_agreement(client: Client) -> None:
    jc, url = _president_on_scored_slot(client)
    slot = jc.slot()
    html = client.get(url).content.decode()
    # Agreed criteria and domains are pre-filled, « non observable » included.
    assert checked(html, "level-1.1") == "avance"
    assert checked(html, "level-2.1") == GridScore.NON_OBSERVABLE
    assert checked(html, "oral-1") == "confirme" and checked(html, "oral-4") == "avance"
    # Disagreements are left for the president, marked and announced in words with each
    # juror's level (the radio group's description).
    assert checked(html, "level-1.2") is None and checked(html, "oral-3") is None
    assert html.count('data-consensus="disagreement"') == 2
    assert (
        "Désaccord entre les jurés (Dora Drane : Avancé ; Eric Expert : Confirmé ; Emma Experte : Avancé) : "
        "à trancher par le président." in html
    )
    assert (
        "Désaccord entre les jurés (Dora Drane : Avancé ; Eric Expert : Expert ; Emma Experte : Avancé)"
        in html
    )
    assert 'aria-describedby="level-1.2-hint"' in html
    assert "Accord des 3 juré(s) qui l&#x27;ont évalué : Avancé." in html
    assert "les 2 désaccords sont signalés" in html
    # Nobody evaluated domain 5: « non évalué », without a mark.
    assert checked(html, "oral-5") == ""
    assert "Aucun juré n&#x27;a évalué cet élément." in html
    # The tables of the jurors' scores say, in words, where they agree.
    assert "Accord des jurés" in html and "<td>Désaccord</td>" in html
    # A juror who submitted sees the others' oral sheets too.
    client.force_login(jc.jurors[0].user)
    html = client.get(reverse("juries:score", args=[slot.pk])).content.decode()
    assert "Bordereaux de l'entretien transmis par les jurés" in html
    # Showing the pre-fill saves nothing.
    assert not Deliberation.objects.filter(slot=slot).exists()


def test_the_president_decides_and_overrides_then_the_draft_is_shown(client: Client) -> None:
    jc, url = _president_on_scored_slot(client)
    slot = jc.slot()
    data = {f"level-{c}": "avance" for c in CRITERIA} | {"level-1.1": "expert", "level-2.1": "non_observable"}
    data |= {"oral-1": "confirme", "oral-2": "avance", "oral-3": "expert", "oral-4": "avance", "oral-5": ""}
    response = client.post(url, data, follow=True)
    assert "Harmonisation enregistrée" in response.content.decode()
    draft = Deliberation.objects.get(slot=slot)
    assert draft.consensus["1.1"] == "expert" and "2.1" not in draft.consensus
    assert draft.oral_levels == {"1": "confirme", "2": "avance", "3": "expert", "4": "avance"}
    html = client.get(url).content.decode()
    # The saved draft is what the grid shows; the jurors' disagreements stay marked.
    assert checked(html, "level-1.1") == "expert" and checked(html, "level-1.2") == "avance"
    assert checked(html, "oral-3") == "expert"
    assert html.count('data-consensus="disagreement"') == 2
    assert "2 éléments sans accord des jurés sont signalés" in html
    # Validation follows the same rules as before.
    deliberation_validate(slot=slot, actor=jc.president)
    assert Deliberation.objects.get(slot=slot).state == Deliberation.State.VALIDATED


def test_bad_input_on_the_presidents_grid_is_refused_in_french(client: Client) -> None:
    jc, url = _president_on_scored_slot(client)
    slot = jc.slot()
    response = client.post(url, {"level-1.1": "maitre", "oral-1": "avance"}, follow=True)
    assert "Niveau inconnu." in response.content.decode()
    response = client.post(url, {"level-1.1": "avance", "oral-2": "génie"}, follow=True)
    assert "Niveau inconnu." in response.content.decode()
    assert not Deliberation.objects.filter(slot=slot).exists()


def test_the_pdf_score_sheet_prints_the_level_texts(client: Client) -> None:
    jc, url = _president_on_scored_slot(client)
    slot = jc.slot()
    data = {f"level-{c}": "avance" for c in CRITERIA} | {f"oral-{d}": "avance" for d in DOMAINS}
    client.post(url, data)
    deliberation_validate(slot=slot, actor=jc.president)
    pdf = client.get(reverse("juries:score_sheet", args=[slot.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    assert "Sa maîtrise des savoirs lui permet une analyse réflexive riche." in text
    assert "Le candidat est capable de mobiliser le numérique" in text
    assert selectors.current_deliberation(slot) is not None


def test_the_api_reads_and_writes_the_jurors_oral_sheet(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    slot, juror = jc.slot(), jc.jurors[0]
    client.force_login(juror.user)
    url = f"/api/v1/juries/orals/{slot.pk}/score"
    payload = {"oral_levels": {"1": "avance", "2": ""}, "oral_comments": {"1": "Clair."}}
    response = client.put(url, payload, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["oral_levels"] == {"1": "avance"}
    refused = client.put(url, {"oral_levels": {"1": "maitre"}}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["detail"] == "Niveau inconnu."
    assert client.get(url).json()["oral_comments"] == {"1": "Clair."}


def test_no_table_of_the_jurors_scores_before_any_is_transmitted(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    client.force_login(jc.president)
    html = client.get(reverse("juries:harmonise", args=[jc.slot().pk])).content.decode()
    assert "0 évaluation(s) transmise(s) sur 3 membres." in html
    assert "Évaluations individuelles transmises" not in html
    _score_all(jc)
    html = client.get(reverse("juries:harmonise", args=[jc.slot().pk])).content.decode()
    assert "Évaluations individuelles transmises" in html
