"""Copy every ``juries.AutomatedResult`` (one per enrolment) to ``testing.AutomatedResult`` (the
person's), keeping the enrolment and its campaign as provenance; ``juries`` then drops its model."""

from django.db import migrations

# The lookup rule's default when this migration was written (certeval.testing.selectors).
AUTOMATED_TESTS = {"inspe-crcn-edu": "pix-plus-edu"}


def copy(apps, schema_editor):
    Old = apps.get_model("juries", "AutomatedResult")
    New = apps.get_model("testing", "AutomatedResult")
    for old in Old.objects.select_related("enrolment__campaign__framework_version").order_by("pk"):
        enrolment = old.enrolment
        framework_id = enrolment.campaign.framework_version.framework_id
        New.objects.create(
            candidate_id=enrolment.candidate_id,
            test=AUTOMATED_TESTS.get(framework_id, framework_id),
            level=old.level,
            obtained_on=old.obtained_on,
            parts=old.parts,
            campaign_id=enrolment.campaign_id,
            enrolment_id=enrolment.pk,
        )


def copy_back(apps, schema_editor):
    Old = apps.get_model("juries", "AutomatedResult")
    New = apps.get_model("testing", "AutomatedResult")
    for new in New.objects.filter(enrolment__isnull=False).order_by("obtained_on", "pk"):
        Old.objects.update_or_create(
            enrolment_id=new.enrolment_id,
            defaults={"level": new.level, "obtained_on": new.obtained_on, "parts": new.parts},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("testing", "0001_automated_result"),
        ("juries", "0004_automated_result_parts"),
    ]

    operations = [migrations.RunPython(copy, copy_back)]
