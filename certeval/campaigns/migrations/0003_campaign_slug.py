from django.db import migrations, models
from django.utils.text import slugify


def fill_slugs(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    taken = set()
    for campaign in Campaign.objects.order_by("pk"):
        base = slugify(campaign.title)[:70] or "campagne"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        Campaign.objects.filter(pk=campaign.pk).update(slug=slug)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0002_prerequisites_and_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="slug",
            field=models.SlugField(blank=True, db_index=False, default="", max_length=80, verbose_name="identifiant court"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="campaign",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text="Utilisé par la ligne de commande ; déduit de l'intitulé s'il est laissé vide.",
                max_length=80,
                unique=True,
                verbose_name="identifiant court",
            ),
        ),
    ]
