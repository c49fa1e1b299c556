"""Automated results moved to the testing context (testing 0002 copied them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("juries", "0004_automated_result_parts"),
        ("testing", "0002_copy_juries_automated_results"),
    ]

    operations = [migrations.DeleteModel(name="AutomatedResult")]
