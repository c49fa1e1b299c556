"""Items name the published référentiel version their competence belongs to (existing items get the
latest published version of their part's référentiel; a part may name another one, e.g. ``crcn``), and
drafts wait for review once submitted."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Item = apps.get_model("testing", "Item")
    FrameworkVersion = apps.get_model("frameworks", "FrameworkVersion")
    latest = {}
    for version in FrameworkVersion.objects.order_by("framework_id", "-version_number"):
        latest.setdefault(version.framework_id, version)
    for bank, part in Item.objects.values_list("bank", "part").distinct():
        own = latest.get(bank)
        if own is None:
            continue
        parts = ((own.document.get("rules") or {}).get("automated") or {}).get("parts") or {}
        other = (parts.get(part) or {}).get("framework")
        source = latest.get(other) if other else own
        if source is not None:
            Item.objects.filter(bank=bank, part=part).update(framework_version=source)


class Migration(migrations.Migration):
    dependencies = [
        ("frameworks", "0001_initial"),
        ("testing", "0004_placement_invitation"),
    ]

    operations = [
        migrations.AddField(
            model_name="item",
            name="framework_version",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="frameworks.frameworkversion",
                verbose_name="version du référentiel",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddField(
            model_name="item",
            name="submitted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="soumise à la relecture le"),
        ),
    ]
