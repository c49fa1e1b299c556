"""Fill the campaign and person columns of the rows written before they existed, for the objects
whose campaign and person are certain: campaigns, sessions, enrolments, dossiers and accounts."""

from django.db import migrations


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    AuditEvent = apps.get_model("audit", "AuditEvent")
    Session = apps.get_model("campaigns", "Session")
    Enrolment = apps.get_model("campaigns", "Enrolment")
    Dossier = apps.get_model("dossiers", "Dossier")
    # The plain manager: the model's own queryset refuses updates (rows are never changed once
    # written; these two columns are filled once, from facts the rows already hold).
    rows = AuditEvent._base_manager.filter(campaign__isnull=True, person__isnull=True)

    def ids(target_type):  # type: ignore[no-untyped-def]
        return {
            int(i)
            for i in rows.filter(target_type=target_type).values_list("target_id", flat=True)
            if i.isdigit()
        }

    for pk in ids("campaigns.campaign"):
        rows.filter(target_type="campaigns.campaign", target_id=str(pk)).update(campaign_id=pk)
    for session in Session.objects.filter(pk__in=ids("campaigns.session")):
        rows.filter(target_type="campaigns.session", target_id=str(session.pk)).update(
            campaign_id=session.campaign_id
        )
    for pk in ids("accounts.user"):
        rows.filter(target_type="accounts.user", target_id=str(pk)).update(person_id=pk)
    for enrolment in Enrolment.objects.filter(pk__in=ids("campaigns.enrolment")).select_related("candidate"):
        rows.filter(target_type="campaigns.enrolment", target_id=str(enrolment.pk)).update(
            campaign_id=enrolment.campaign_id, person_id=enrolment.candidate.user_id
        )
    dossiers = Dossier.objects.filter(pk__in=ids("dossiers.dossier")).select_related("enrolment__candidate")
    for dossier in dossiers:
        rows.filter(target_type="dossiers.dossier", target_id=str(dossier.pk)).update(
            campaign_id=dossier.enrolment.campaign_id, person_id=dossier.enrolment.candidate.user_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_campaign_and_person_columns"),
        ("campaigns", "0003_campaign_slug"),
        ("dossiers", "0002_upload_time"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
