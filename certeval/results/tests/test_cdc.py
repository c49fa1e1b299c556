"""The Caisse des Dépôts declaration: holders, the flux validated by the XSD, stable passage ids,
the acknowledgement with its rejected rows corrected and re-sent under the same id, the reminder,
the command's exit codes, and the page."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from django.utils import timezone
from lxml import etree

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import Campaign, CampaignState
from certeval.domain import cdc
from certeval.juries.models import Deliberation
from certeval.results import cdc_selectors
from certeval.results.cdc_services import (
    CdcRefused,
    cdc_acknowledgement_import,
    cdc_export,
    cdc_holder_correct,
    cdc_reminders_due,
)
from certeval.results.models import CdcAcknowledgement, CdcHolderData, CdcPassage, CdcReminder, CdcSettings
from certeval.results.tests.cdc_fixtures import declared_campaign, needs_xsd
from certeval.results.tests.test_candidate_results import client_of

pytestmark = pytest.mark.django_db
NS = {"cpf": cdc.NAMESPACE}


def ids_in(content: bytes) -> list[str]:
    root = etree.fromstring(content)
    return [e.text for e in root.findall(".//cpf:idTechnique", NS)]


def assert_valid(content: bytes) -> None:
    schema = cdc.load_schema(needs_xsd())
    assert cdc.validation_errors(schema, content) == []


def test_holders_are_the_certified_of_a_published_campaign_latest_decision_only() -> None:
    jc = declared_campaign(3)
    rows = cdc_selectors.holder_rows(jc.campaign)
    assert {r.enrolment.pk for r in rows} == {e.pk for e in jc.enrolments[:2]}
    # A decision reopened (a newer draft) is no longer a holder's.
    Deliberation.objects.create(
        slot=jc.slot(0), number=2, change_reason="Erreur matérielle", created_by=jc.president
    )
    assert {r.enrolment.pk for r in cdc_selectors.holder_rows(jc.campaign)} == {jc.enrolments[1].pk}


def test_export_validates_and_keeps_the_same_ids_across_re_exports() -> None:
    needs_xsd()
    jc = declared_campaign(2)
    first = cdc_export(campaign=jc.campaign, by=jc.organiser)
    assert_valid(bytes(first.content))
    second = cdc_export(campaign=jc.campaign, by=jc.organiser)
    assert_valid(bytes(second.content))
    assert sorted(ids_in(bytes(first.content))) == sorted(ids_in(bytes(second.content)))
    assert len(set(ids_in(bytes(first.content)))) == 2
    assert first.flux_id != second.flux_id
    assert CdcPassage.objects.count() == 2
    assert set(CdcPassage.objects.values_list("status", flat=True)) == {"sent"}
    assert AuditEvent.objects.filter(action="cdc.export").count() == 2


def test_export_refuses_with_each_holder_reason_and_missing_code() -> None:
    needs_xsd()
    jc = declared_campaign(2, complete=False, codes=False)
    with pytest.raises(CdcRefused) as refused:
        cdc_export(campaign=jc.campaign, by=jc.organiser)
    reasons = refused.value.reasons
    assert any("Code de la fiche RS non renseigné" in r for r in reasons)
    assert any("Identifiant client CDC du certificateur non renseigné" in r for r in reasons)
    for enrolment in jc.enrolments:
        assert f"{enrolment.candidate.display_name} : Sexe à l'état civil non renseigné (M ou F)." in reasons
    assert not CdcPassage.objects.exists()


def test_an_academy_organiser_cannot_export() -> None:
    from certeval.campaigns.tests.factories import organiser_of
    from certeval.juries.tests.factories import academy

    jc = declared_campaign(1)
    limited = organiser_of(jc.campaign, academy=academy("versailles"))
    with pytest.raises(CdcRefused):
        cdc_export(campaign=jc.campaign, by=limited)


def test_without_the_xsd_the_export_is_refused() -> None:
    jc = declared_campaign(1)
    with (
        override_settings(CERTEVAL_CDC={"xsd_path": "/nonexistent/cpf.xsd"}),
        pytest.raises(CdcRefused) as refused,
    ):
        cdc_export(campaign=jc.campaign, by=jc.organiser)
    assert any("Schéma XSD de la Caisse des Dépôts introuvable" in r for r in refused.value.reasons)


def test_a_rejected_row_is_corrected_and_re_sent_with_the_same_id() -> None:
    needs_xsd()
    jc = declared_campaign(2)
    first = cdc_export(campaign=jc.campaign, by=jc.organiser)
    ok, ko = CdcPassage.objects.order_by("enrolment_id")
    csv = f"idTechnique;statut;motif\n{ok.technical_id};OK;\n{ko.technical_id};KO;Aucun titulaire ne correspond\n"
    result = cdc_acknowledgement_import(
        campaign=jc.campaign, by=jc.organiser, file_name="accuse.csv", content=csv.encode()
    )
    assert (result.accepted, result.rejected) == (1, 1)
    ko.refresh_from_db()
    assert ko.status == "rejected" and ko.reason == "Aucun titulaire ne correspond"
    ack = CdcAcknowledgement.objects.get(passage=ko)
    assert ack.submission == first and ack.line == 3

    page = client_of(jc.organiser).get(f"/caisse-des-depots/campagne/{jc.campaign.pk}/").content.decode()
    assert "Passages rejetés par la Caisse des Dépôts" in page and "Aucun titulaire ne correspond" in page

    enrolment = ko.enrolment
    response = client_of(jc.organiser).post(
        f"/caisse-des-depots/titulaires/{enrolment.pk}/",
        {
            "birth_name": "Nouveau-Nom",
            "usual_name": "",
            "first_names": enrolment.candidate.first_names,
            "birth_date": enrolment.candidate.birth_date.isoformat(),
            "sex": "M",
            "birth_insee_code": "69123",
        },
    )
    assert response.status_code == 302
    enrolment.candidate.refresh_from_db()
    assert enrolment.candidate.birth_name == "Nouveau-Nom"
    assert CdcHolderData.objects.get(candidate=enrolment.candidate).sex == "M"
    correction = AuditEvent.objects.get(action="cdc.correction")
    assert correction.data == {"fields": ["birth_insee_code", "birth_name", "sex"]}

    again = cdc_export(campaign=jc.campaign, by=jc.organiser)
    assert_valid(bytes(again.content))
    assert ids_in(bytes(again.content)) == [str(ko.technical_id)]
    ko.refresh_from_db()
    assert (ko.status, ko.reason, ko.last_submission) == ("sent", "", again)
    assert CdcAcknowledgement.objects.get(passage=ko).reason == "Aucun titulaire ne correspond"
    assert b"Nouveau-Nom" in bytes(again.content) and b"<cpf:codeInsee>69123</cpf:codeInsee>" in bytes(
        again.content
    )


def test_an_acknowledgement_with_an_unknown_id_is_refused_whole() -> None:
    needs_xsd()
    jc = declared_campaign(1)
    cdc_export(campaign=jc.campaign, by=jc.organiser)
    passage = CdcPassage.objects.get()
    csv = f"idTechnique;statut\n{passage.technical_id};OK\nautre;KO\n"
    with pytest.raises(CdcRefused) as refused:
        cdc_acknowledgement_import(
            campaign=jc.campaign, by=jc.organiser, file_name="a.csv", content=csv.encode()
        )
    assert refused.value.reasons == ["Ligne 3 : le passage autre n'appartient pas à cette campagne."]
    passage.refresh_from_db()
    assert passage.status == "sent" and not CdcAcknowledgement.objects.exists()


def test_an_academy_organiser_corrects_only_their_academy() -> None:
    from certeval.campaigns.tests.factories import organiser_of
    from certeval.juries.tests.factories import academy

    jc = declared_campaign(1)
    enrolment = jc.enrolments[0]
    mine = organiser_of(jc.campaign, academy=enrolment.academy)
    other = organiser_of(jc.campaign, academy=academy("nice"))
    with pytest.raises(CdcRefused):
        cdc_holder_correct(enrolment=enrolment, by=other, identity={}, sex="M", birth_insee_code="")
    cdc_holder_correct(enrolment=enrolment, by=mine, identity={}, sex="M", birth_insee_code="")
    assert CdcHolderData.objects.get(candidate=enrolment.candidate).sex == "M"


def test_the_reminder_is_sent_once_before_the_deadline() -> None:
    jc = declared_campaign(1)
    award = timezone.localdate()
    deadline = cdc.declaration_deadline(award, 3)
    assert cdc_reminders_due(today=deadline - timedelta(days=31)) == 0
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert cdc_reminders_due(today=deadline - timedelta(days=10)) == 1
    assert cdc_reminders_due(today=deadline - timedelta(days=9)) == 0
    assert CdcReminder.objects.get().deadline == deadline
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [jc.organiser.email]
    assert "Caisse des Dépôts" in mail.outbox[0].subject
    page = client_of(jc.organiser).get(f"/caisse-des-depots/campagne/{jc.campaign.pk}/").content.decode()
    assert "à déclarer avant le" in page


def test_the_command_exits_0_with_the_file_and_2_with_the_reasons(tmp_path: Path) -> None:
    needs_xsd()
    incomplete = declared_campaign(1, complete=False)
    out = tmp_path / "flux.xml"
    with pytest.raises(CommandError) as failed:
        call_command("cdc", "export", "--campaign", incomplete.campaign.slug, "--out", str(out))
    assert failed.value.returncode == 2
    assert "Sexe à l'état civil non renseigné" in str(failed.value)
    assert not out.exists()
    CdcHolderData.objects.create(candidate=incomplete.enrolments[0].candidate, sex="F")
    stdout = StringIO()
    call_command("cdc", "export", "--campaign", incomplete.campaign.slug, "--out", str(out), stdout=stdout)
    assert_valid(out.read_bytes())
    assert "1 passage(s)" in stdout.getvalue()
    with pytest.raises(CommandError) as unknown:
        call_command("cdc", "export", "--campaign", "nope", "--out", str(out))
    assert unknown.value.returncode == 2


def test_the_page_exports_and_downloads_the_flux_audited() -> None:
    needs_xsd()
    jc = declared_campaign(2)
    client = client_of(jc.organiser)
    page = client.get(f"/campagnes/{jc.campaign.pk}/").content.decode()
    assert f"/caisse-des-depots/campagne/{jc.campaign.pk}/" in page
    response = client.post(f"/caisse-des-depots/campagne/{jc.campaign.pk}/exporter/", follow=True)
    assert "produit et validé par le schéma" in response.content.decode()
    submission = jc.campaign.cdc_submissions.get()
    download = client.get(f"/caisse-des-depots/flux/{submission.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/xml"
    assert_valid(download.content)
    assert AuditEvent.objects.filter(action="cdc.download", actor=jc.organiser).count() == 1


def test_the_page_shows_why_the_export_is_refused() -> None:
    jc = declared_campaign(1, complete=False)
    response = client_of(jc.organiser).post(f"/caisse-des-depots/campagne/{jc.campaign.pk}/exporter/")
    assert response.status_code == 422
    assert "Sexe à l&#x27;état civil non renseigné" in response.content.decode()


def test_a_later_award_moves_the_deadline() -> None:
    jc = declared_campaign(1)
    # Noon in Paris 80 days ago: the award day is that Paris day whatever the hour and the DST offset.
    awarded = timezone.localdate() - timedelta(days=80)
    noon = timezone.make_aware(datetime.combine(awarded, time(12)))
    Deliberation.objects.filter(slot=jc.slot(0)).update(validated_at=noon)
    row = cdc_selectors.holder_rows(jc.campaign)[0]
    assert row.award_date == awarded
    assert row.deadline == cdc.declaration_deadline(row.award_date, 3)


def test_an_archived_campaigns_holder_gets_their_sex_corrected() -> None:
    jc = declared_campaign(1, complete=False)
    Campaign.objects.filter(pk=jc.campaign.pk).update(state=CampaignState.ARCHIVED)
    enrolment = jc.enrolments[0]
    cdc_holder_correct(enrolment=enrolment, by=jc.organiser, identity={}, sex="F", birth_insee_code="2a004")
    data = CdcHolderData.objects.get(candidate=enrolment.candidate)
    assert (data.sex, data.birth_insee_code) == ("F", "2A004")
    with pytest.raises(CdcRefused, match="archivée"):
        cdc_holder_correct(
            enrolment=enrolment,
            by=jc.organiser,
            identity={"birth_name": "Autre"},
            sex="F",
            birth_insee_code="",
        )
    with pytest.raises(CdcRefused, match="Code INSEE invalide"):
        cdc_holder_correct(enrolment=enrolment, by=jc.organiser, identity={}, sex="F", birth_insee_code="12")


def test_the_settings_row_overrides_certeval_cdc_value_by_value() -> None:
    jc = declared_campaign(1, codes=False)
    cdc_config = {
        "certifier_id": "SETTINGS",
        "contract_id": "C-SET",
        "frameworks": {"facilitateur-apprentissage": {"type": "RS", "code": "RS1111", "validity_years": 5}},
    }
    with override_settings(CERTEVAL_CDC=cdc_config):
        config = cdc_selectors.declaration_config(jc.campaign)
        assert (config.declares, config.type, config.code, config.validity_years) == (True, "RS", "RS1111", 5)
        assert config.declarant == cdc.Declarant("SETTINGS", "SETTINGS", "C-SET")
        assert config.problems == [] and config.deadline_months == 3 and config.reminder_days == 30
        CdcSettings.objects.create(
            framework_id="facilitateur-apprentissage", code="RS2222", certifier_id="DBDBDBDB"
        )
        config = cdc_selectors.declaration_config(jc.campaign)
        assert (config.code, config.declarant.certifier_id, config.declarant.contract_id) == (
            "RS2222",
            "DBDBDBDB",
            "C-SET",
        )
        CdcSettings.objects.filter(framework_id="facilitateur-apprentissage").update(declares=False)
        assert not cdc_selectors.declaration_config(jc.campaign).declares
        with pytest.raises(CdcRefused, match="ne se déclare pas"):
            cdc_export(campaign=jc.campaign, by=jc.organiser)


def test_a_campaign_that_does_not_declare_has_no_link() -> None:
    from certeval.juries.tests.factories import jury_campaign

    jc = jury_campaign(candidates=1)
    page = client_of(jc.organiser).get(f"/campagnes/{jc.campaign.pk}/").content.decode()
    assert "/caisse-des-depots/" not in page
