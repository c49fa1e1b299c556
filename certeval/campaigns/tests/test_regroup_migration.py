"""The data migration of campaigns/0008: each group of ``Campaign.academy_groups`` (a JSON list of
academy codes) becomes a regroupement of its campaign, and back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("campaigns", "0007_inspe_organisations_mentions")]
AFTER = [("campaigns", "0008_regroup_regroupements")]


def _migrate(targets: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_academy_groups_become_regroupements_and_back() -> None:
    old = _migrate(BEFORE)
    try:
        Academy = old.get_model("campaigns", "Academy")
        Campaign = old.get_model("campaigns", "Campaign")
        FrameworkVersion = old.get_model("frameworks", "FrameworkVersion")
        for code in ("lyon", "nice", "grenoble", "paris", "creteil"):
            Academy.objects.get_or_create(code=code, defaults={"name": code.capitalize()})
        version = FrameworkVersion.objects.create(
            framework_id="migration",
            version_number=1,
            label="v1",
            title="Migration",
            content_hash="0" * 64,
            source_yaml="",
            document={},
            search_text="",
        )
        campaign = Campaign.objects.create(
            title="Ancienne",
            slug="ancienne",
            framework_version=version,
            deposit_deadline=datetime(2026, 5, 1, tzinfo=UTC),
            academy_groups=[["lyon", "nice", "inconnue"], ["grenoble", "nice"], ["paris", "creteil"]],
        )
        new = _migrate(AFTER)
        Regroupement = new.get_model("campaigns", "Regroupement")
        found = {
            r.name: sorted(a.code for a in r.academies.all())
            for r in Regroupement.objects.filter(campaign_id=campaign.pk)
        }
        # Unknown codes are dropped; an academy already placed stays in its first regroupement.
        assert found == {
            "Regroupement 1": ["lyon", "nice"],
            "Regroupement 2": ["grenoble"],
            "Regroupement 3": ["creteil", "paris"],
        }
        back = _migrate(BEFORE)
        assert back.get_model("campaigns", "Campaign").objects.get(pk=campaign.pk).academy_groups == [
            ["lyon", "nice"],
            ["grenoble"],
            ["creteil", "paris"],
        ]
    finally:
        # Every app's latest state: migrating campaigns back unapplied the migrations of other apps
        # that depend on it (audit, dossiers, privacy), which later tests need.
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
