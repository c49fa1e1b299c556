from django.db import migrations


def load(apps, schema_editor):
    from certeval.campaigns.academies import load_academies

    load_academies(apps.get_model("campaigns", "Academy"))


class Migration(migrations.Migration):
    """The 30 French académies and their régions académiques (certeval/data/academies.yaml);
    running it again changes nothing. Reversing it keeps the rows (enrolments point at them)."""

    dependencies = [
        ("campaigns", "0004_academy_region"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
