"""Privacy notices (docs/privacy.md, « Notices and register »): the data file, the full public pages
with the retention read from CERTEVAL_RETENTION and the controller from CERTEVAL_CONTROLLER (or the
campaign's certifying organisation), and the short notice on every page that collects data."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from certeval.campaigns.models import Organisation, Session
from certeval.campaigns.tests.factories import UserFactory
from certeval.core import privacy_notices
from certeval.privacy.tests.privacy_fixtures import privacy_world, signed_in, text
from certeval.testing.tests.factories import academy, campaign_of, enrolment_in
from certeval.testing.tests.sitting_factories import proctored_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh() -> None:
    cache.clear()


def short_notice(page: str, slug: str) -> bool:
    return "Vos données personnelles" in page and f"/donnees-personnelles/traitements/{slug}/" in page


def test_five_processings_each_with_a_full_public_page() -> None:
    slugs = [p.slug for p in privacy_notices.processings()]
    assert len(slugs) == 5
    client = signed_in(UserFactory())
    index = text(client.get("/donnees-personnelles/traitements/"))
    for found in privacy_notices.processings():
        assert f"/donnees-personnelles/traitements/{found.slug}/" in index
        page = text(client.get(f"/donnees-personnelles/traitements/{found.slug}/"))
        for part in (
            "Pourquoi vos données sont utilisées",
            "Sur quelle base légale",
            "Qui les reçoit",
            "Combien de temps elles sont gardées",
            "Vos droits et comment les exercer",
            "dpo@certificateur.invalid",
            "/donnees-personnelles/mes-donnees/",
        ):
            assert part in page, (found.slug, part)
    assert client.get("/donnees-personnelles/traitements/inconnu/").status_code == 404


def test_retention_and_controller_come_from_the_settings(settings: object) -> None:
    settings.CERTEVAL_RETENTION = {"dossiers": {"days": 730, "from": "result_published"}}  # type: ignore[attr-defined]
    settings.CERTEVAL_CONTROLLER = {
        "name": "Ministère de l'Éducation nationale",
        "dpo_email": "dpo@education.gouv.fr",
    }  # type: ignore[attr-defined]
    page = text(signed_in(UserFactory()).get("/donnees-personnelles/traitements/dossier-et-jury/"))
    assert "2 ans à compter de la publication du résultat" in page
    assert "Ministère de l'Éducation nationale" in page and "dpo@education.gouv.fr" in page
    # The defaults of the other categories still apply.
    assert "5 ans à compter de leur enregistrement" in page
    results = text(
        signed_in(UserFactory()).get("/donnees-personnelles/traitements/resultats-et-attestations/")
    )
    assert "sans limite de durée" in results


def test_a_campaign_of_a_certifying_organisation_names_it_as_the_controller(settings: object) -> None:
    organisation = Organisation.objects.create(
        kind="inspe", name="INSPÉ de Bretagne", academy=academy("rennes")
    )
    settings.CERTEVAL_CONTROLLER = {
        "organisations": {"INSPÉ de Bretagne": {"dpo_email": "dpo@inspe-bretagne.fr"}}
    }  # type: ignore[attr-defined]
    campaign = campaign_of(organisation=organisation)
    page = text(
        signed_in(UserFactory()).get(f"/donnees-personnelles/traitements/inscription/?campagne={campaign.pk}")
    )
    assert "Le responsable du traitement est INSPÉ de Bretagne." in page and "dpo@inspe-bretagne.fr" in page
    # A wrong campaign number names the certifier (never an error).
    assert (
        signed_in(UserFactory()).get("/donnees-personnelles/traitements/inscription/?campagne=x").status_code
        == 200
    )


def test_a_malformed_data_file_is_refused_with_where() -> None:
    with pytest.raises(privacy_notices.ProcessingError, match="purposes"):
        privacy_notices._processing(
            {
                "key": "k",
                "slug": "s",
                "title": "t",
                "short": "s",
                "legal_basis": "b",
                "source": "s",
                "transfers": "t",
                "automated_decision": "a",
            },
            "test",
        )


def test_the_enrolment_pages_show_the_enrolment_notice() -> None:
    world = privacy_world(published=False)
    organiser = signed_in(world.jc.organiser)
    campaign = world.jc.campaign.pk
    for url in (
        f"/campagnes/{campaign}/candidats/inscrire/",
        f"/campagnes/{campaign}/candidats/importer/",
        f"/campagnes/candidats/{world.enrolment.pk}/modifier/",
    ):
        assert short_notice(text(organiser.get(url)), "inscription"), url
    assert short_notice(
        text(signed_in(world.candidate).get(f"/campagnes/candidats/{world.enrolment.pk}/")), "inscription"
    )


def test_the_online_test_pages_show_the_testing_notice() -> None:
    ps = proctored_session(1, bank=False, mode=Session.Mode.REMOTE)
    assert short_notice(text(signed_in(UserFactory()).get("/epreuve/")), "epreuve-en-ligne")
    remote = text(signed_in(UserFactory()).get(f"/epreuve/information-a-distance/{ps.session.campaign_id}/"))
    assert short_notice(remote, "epreuve-en-ligne")
    candidate = ps.enrolments[0].candidate.user
    assert short_notice(text(signed_in(candidate).get("/tests-en-ligne/")), "epreuve-en-ligne")


def test_the_deposit_page_shows_the_dossier_notice() -> None:
    enrolment = enrolment_in(campaign_of(state="open"))
    page = text(signed_in(enrolment.candidate.user).get(f"/mes-certifications/{enrolment.pk}/dossier/"))
    assert short_notice(page, "dossier-et-jury")


def test_results_credentials_and_statistics_pages_show_their_notice() -> None:
    world = privacy_world()
    candidate = signed_in(world.candidate)
    assert short_notice(
        text(candidate.get(f"/mes-certifications/{world.enrolment.pk}/resultat/")),
        "resultats-et-attestations",
    )
    assert short_notice(text(candidate.get("/mes-attestations/")), "resultats-et-attestations")
    stats = text(signed_in(world.jc.organiser).get(f"/statistiques/campagne/{world.jc.campaign.pk}/"))
    assert short_notice(stats, "statistiques")


def test_the_short_notice_and_the_account_link_in_the_etat_theme(settings: object) -> None:
    settings.CERTEVAL_THEME = "etat"  # type: ignore[attr-defined]
    page = text(signed_in(UserFactory()).get("/epreuve/"))
    assert 'class="fr-callout"' in page and short_notice(page, "epreuve-en-ligne")
    assert 'href="/donnees-personnelles/mes-donnees/"' in page
