"""Statistics of the jury report: the past campaign imported from CSV (all or nothing, archived through
the campaigns write path), the report of a live campaign built from enrolments, placement runs,
automated results and validated deliberations, the page with its charts and tables, and the CSV."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import Campaign, CampaignRole, CampaignState
from certeval.campaigns.tests.factories import UserFactory
from certeval.domain.tests.test_stats import SEED_5_1
from certeval.juries.models import Deliberation, JurorFeedback
from certeval.juries.services.deliberation import deliberation_validate
from certeval.juries.services.questions import juror_feedback_submit
from certeval.juries.tests.factories import academy, jury_campaign, published
from certeval.juries.tests.test_services import _harmonise
from certeval.results.models import PastCohortRow, PastJurorAnswer
from certeval.testing.models import AutomatedResult, Run

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data" / "stats"
COHORT = DATA / "pix-plus-edu-2022-2023.csv"
JURORS = DATA / "pix-plus-edu-2022-2023-jurors.csv"
HEADER = "id,formation,degre,placement_level,automated_level,automated_obtained_on,final_level\n"


def run(*args: str) -> str:
    out = StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def import_demo_cohort() -> str:
    published("pix-plus-edu")
    return run(
        "import", "--framework", "pix-plus-edu", "--year", "2022-2023", str(COHORT), "--feedback", str(JURORS)
    ).strip()


def test_import_creates_an_archived_campaign_whose_report_is_the_seed() -> None:
    slug = import_demo_cohort()
    campaign = Campaign.objects.get(slug=slug)
    assert campaign.state == CampaignState.ARCHIVED
    assert campaign.framework_version.framework_id == "pix-plus-edu"
    assert [t.to_state for t in campaign.transitions.all()] == [
        "open",
        "deposit_closed",
        "juries",
        "deliberation",
        "published",
        "archived",
    ]
    assert not CampaignRole.objects.filter(campaign=campaign).exists()  # imported by the operator
    assert PastCohortRow.objects.filter(campaign=campaign).count() == 1478
    assert PastJurorAnswer.objects.filter(campaign=campaign).count() == 14
    entry = AuditEvent.objects.get(action="results.stats_import")
    assert entry.data == {"year": "2022-2023", "rows": 1478, "juror_answers": 14}
    assert json.loads(run("report", "--campaign", slug, "--json")) == SEED_5_1
    text = run("report", "--campaign", slug)
    assert "continue / auto: 167 (30%)" in text and "dossiers: 13/14 satisfied (92%)" in text
    # Importing the same year again is refused, naming the campaign.
    with pytest.raises(CommandError, match=f"already imported: campaign {slug}") as refused:
        import_demo_cohort()
    assert refused.value.returncode == 2


def test_a_wrong_file_is_refused_with_every_line_and_nothing_is_stored(tmp_path: Path) -> None:
    published("pix-plus-edu")
    bad = tmp_path / "cohort.csv"
    bad.write_text(
        HEADER
        + "a,continue,premier,expert,expert,2023-02-01,expert\n"
        + "b,continue,premier,,expert,2019-01-10,expert\n"
        + "c,continue,premier,expert,,,avance\n",
        encoding="utf-8",
    )
    before = (Campaign.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CommandError) as refused:
        run("import", "--framework", "pix-plus-edu", "--year", "2022-2023", str(bad))
    assert refused.value.returncode == 2
    message = str(refused.value)
    assert "nothing imported, 2 problem(s)" in message
    assert "line 3 (b): automated part obtained on 2019-01-10, valid until 2022-01-10" in message
    assert "line 4 (c): final_level without an automated part" in message
    assert (Campaign.objects.count(), AuditEvent.objects.count()) == before
    assert not PastCohortRow.objects.exists()
    for args, expected in (
        (["--framework", "nope", "--year", "2022-2023"], "no published référentiel 'nope'"),
        (["--framework", "pix-plus-edu", "--year", "2022"], "--year: a school year is written YYYY-YYYY"),
        (
            ["--framework", "pix-plus-edu", "--year", f"{date.today().year}-{date.today().year + 1}"],
            "not over",
        ),
    ):
        with pytest.raises(CommandError, match=expected):
            run("import", *args, str(COHORT))
    with pytest.raises(CommandError, match="unknown campaign"):
        run("report", "--campaign", "absent")


def test_live_campaign_rows_and_the_earlier_year_rule() -> None:
    """Two enrolments: the first certified with a result obtained in the previous school year (counts
    at the certification, not at the automated stage), the second with a placement run and a result
    of this year. Deposit deadline in October 2026: the campaign year is 2026-2027."""
    jc = jury_campaign(candidates=2)
    campaign = jc.campaign
    Campaign.objects.filter(pk=campaign.pk).update(
        deposit_deadline=timezone.make_aware(datetime(2026, 10, 15, 12, 0))
    )
    first, second = jc.enrolments
    _harmonise(jc)  # automated « Confirmé » (1 March 2026), practice « Avancé »: certified Confirmé
    deliberation_validate(slot=jc.slot(), actor=jc.president)
    AutomatedResult.objects.filter(candidate=second.candidate).update(
        obtained_on=date(2026, 9, 20), level="expert"
    )
    for enrolment, level in ((second, "avance"), (first, "initie")):
        Run.objects.create(
            candidate=enrolment.candidate,
            kind=Run.Kind.PLACEMENT,
            bank="pix-plus-edu",
            bank_version=1,
            status=Run.Status.FINISHED,
            proposed_level=level,
            enrolment=enrolment if enrolment == second else None,
            finished_at=timezone.make_aware(datetime(2025, 5, 2, 10, 0)),  # before the year
        )
    slug = campaign.slug
    counts = json.loads(run("report", "--campaign", slug, "--json"))
    formation, degre = first.training, first.school_level
    assert (second.training, second.school_level) == (formation, degre)
    assert counts[formation][degre] == {
        "bilan": {"avance": 1},  # the second's run is theirs for this enrolment; the first's is too old
        "auto": {"expert": 1},
        "cert": {"confirme": 1},
    }
    for juror, answers in zip(
        jc.jurors[:2], ({"dossiers": 4, "traces": 2}, {"dossiers": 3, "traces": 3}), strict=True
    ):
        juror_feedback_submit(
            juror=juror, answers={"analyses": 1, "organisation": 4, **answers}, comment="", actor=juror.user
        )
    assert JurorFeedback.objects.count() == 2
    # A référentiel without levels certifies without a final level: the column « Certifié (sans niveau) ».
    Deliberation.objects.filter(slot=jc.slot()).update(final_level="")
    assert json.loads(run("report", "--campaign", slug, "--json"))[formation][degre]["cert"] == {
        "certifie": 1
    }
    text = run("report", "--campaign", slug)
    assert "dossiers: 2/2 satisfied (100%)" in text and "traces: 1/2 satisfied (50%)" in text


def test_statistics_page_csv_and_campaign_link() -> None:
    slug = import_demo_cohort()
    campaign = Campaign.objects.get(slug=slug)
    organiser = UserFactory()
    CampaignRole.objects.create(campaign=campaign, user=organiser, role="organiser")
    client = Client()
    client.force_login(organiser)
    page = client.get(f"/statistiques/campagne/{campaign.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") - html.count('aria-hidden="true"') == 7  # six tables and the questionnaire
    assert html.count("<table") == 7
    assert "En formation continue" in html and "<td>16</td>" in html and "<td>18</td>" in html
    assert "237 candidats (26 %)" in html and "167 candidats (30 %)" in html
    assert "<td>92 %</td>" in html and "<td>64 %</td>" in html and "<td>78 %</td>" in html
    assert "Campagne passée importée" in html
    csv_response = client.get(f"/statistiques/campagne/{campaign.pk}/statistiques.csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    body = csv_response.content.decode()
    assert body.startswith("\ufeff")  # UTF-8 with BOM, ';'-separated, as the results files
    assert "Formation continue;Volet automatisé obtenu dans l'année;Premier degré;Total;16;21\r\n" in body
    assert (
        "Formation continue;Certification (volet automatisé et volet pratique professionnelle);Premier degré;"
        "Total;18;24\r\n"
    ) in body
    assert "Qualité des dossiers;14;13;92\r\n" in body
    detail = client.get(f"/campagnes/{campaign.pk}/").content.decode()
    assert f'href="/statistiques/campagne/{campaign.pk}/"' in detail
    limited = UserFactory()
    CampaignRole.objects.create(campaign=campaign, user=limited, role="organiser", academy=academy("lyon"))
    client.force_login(limited)
    assert client.get(f"/statistiques/campagne/{campaign.pk}/").status_code == 404
    assert "/statistiques/" not in client.get(f"/campagnes/{campaign.pk}/").content.decode()


def test_empty_live_campaign_page() -> None:
    jc = jury_campaign(candidates=1)
    Run.objects.all().delete()
    AutomatedResult.objects.all().delete()
    client = Client()
    client.force_login(jc.organiser)
    html = client.get(f"/statistiques/campagne/{jc.campaign.pk}/").content.decode()
    assert "il n'y a pas encore de statistiques" in html
    assert "Aucun juré n'a encore répondu" in html


def test_school_year_setting(settings) -> None:  # type: ignore[no-untyped-def]
    from certeval.results.stats_selectors import campaign_year

    jc = jury_campaign(candidates=1)
    Campaign.objects.filter(pk=jc.campaign.pk).update(
        deposit_deadline=timezone.make_aware(datetime(2026, 8, 31, 23, 30))  # Paris date: 31 August
    )
    jc.campaign.refresh_from_db()
    assert campaign_year(jc.campaign).label == "2025-2026"
    settings.CERTEVAL_STATS = {"year_start_month": 1}
    year = campaign_year(jc.campaign)
    assert (year.start, year.end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert timedelta(days=364) == year.end - year.start


def test_demo_imports_once_by_the_demo_organiser() -> None:
    from certeval.results import demo_stats

    published("pix-plus-edu")
    organiser = UserFactory(email="organisateur@demo.certeval.fr")
    out = StringIO()
    assert demo_stats.populate(out) == []
    assert demo_stats.populate(out) == []
    campaign = Campaign.objects.get(title__contains="2022-2023")
    assert Campaign.objects.filter(title=campaign.title).count() == 1
    assert CampaignRole.objects.filter(
        campaign=campaign, user=organiser, role="organiser", academy=None
    ).exists()
    assert out.getvalue().count("imported for its statistics") == 1
    (note,) = demo_stats.notes()
    assert campaign.slug in note and f"/statistiques/campagne/{campaign.pk}/" in note
