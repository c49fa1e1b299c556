"""The data migration: every juries.AutomatedResult (one per enrolment) becomes the person's
testing.AutomatedResult, with the enrolment and campaign as provenance and INSPÉ mapped to the
Pix+ Édu automated test."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

CAMPAIGNS = ("campaigns", "0005_load_french_academies")
BEFORE = [("juries", "0004_automated_result_parts"), ("testing", "0001_automated_result"), CAMPAIGNS]
AFTER = [
    ("juries", "0005_delete_automatedresult"),
    ("testing", "0002_copy_juries_automated_results"),
    CAMPAIGNS,
]


def test_existing_results_are_copied_to_the_person() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    user = apps.get_model("accounts", "User").objects.create(email="lea@example.fr", password="!")
    academy, _created = apps.get_model("campaigns", "Academy").objects.get_or_create(
        code="lyon", defaults={"name": "Lyon", "region": "Auvergne-Rhône-Alpes"}
    )
    candidate = apps.get_model("campaigns", "Candidate").objects.create(
        user=user, birth_name="Martin", first_names="Léa", birth_date=date(1988, 3, 12), email=user.email
    )
    enrolments = []
    for number, framework_id in enumerate(("pix-plus-edu", "inspe-crcn-edu"), start=1):
        version = apps.get_model("frameworks", "FrameworkVersion").objects.create(
            framework_id=framework_id,
            version_number=1,
            label="v1",
            title=framework_id,
            content_hash="0" * 64,
            source_yaml="",
            document={"id": framework_id},
            search_text="",
        )
        campaign = apps.get_model("campaigns", "Campaign").objects.create(
            title=f"Campagne {number}",
            slug=f"campagne-{number}",
            framework_version=version,
            deposit_deadline=datetime(2026, 1, 1, tzinfo=UTC),
        )
        enrolments.append(
            apps.get_model("campaigns", "Enrolment").objects.create(
                campaign=campaign,
                candidate=candidate,
                academy=academy,
                school_level="second",
                training="continue",
            )
        )
    Old = apps.get_model("juries", "AutomatedResult")
    Old.objects.create(enrolment=enrolments[0], level="confirme", obtained_on=date(2024, 5, 1))
    Old.objects.create(
        enrolment=enrolments[1],
        level="avance",
        obtained_on=date(2025, 5, 1),
        parts={"crcn": {"level": "avance"}},
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    New = executor.loader.project_state(AFTER).apps.get_model("testing", "AutomatedResult")
    copied = list(
        New.objects.order_by("obtained_on").values_list(
            "candidate_id", "test", "level", "obtained_on", "parts", "campaign_id", "enrolment_id"
        )
    )
    assert copied == [
        (
            candidate.pk,
            "pix-plus-edu",
            "confirme",
            date(2024, 5, 1),
            {},
            enrolments[0].campaign_id,
            enrolments[0].pk,
        ),
        (
            candidate.pk,
            "pix-plus-edu",
            "avance",
            date(2025, 5, 1),
            {"crcn": {"level": "avance"}},
            enrolments[1].campaign_id,
            enrolments[1].pk,
        ),
    ]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
