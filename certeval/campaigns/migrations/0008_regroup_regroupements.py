"""Regroupements inter-académiques as rows (they were ``Campaign.academy_groups``, a JSON list of
lists of academy codes) and the campaign's reading delay between the dossier freeze and the oral.

Each former group becomes « Regroupement 1 », « Regroupement 2 »… of its campaign, with the
academies whose code is known; an academy already placed in an earlier group of the same campaign
is skipped (the former form refused it). Reversing rebuilds the JSON list."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def groups_to_regroupements(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    Academy = apps.get_model("campaigns", "Academy")
    Regroupement = apps.get_model("campaigns", "Regroupement")
    RegroupementAcademy = apps.get_model("campaigns", "RegroupementAcademy")
    academies = {a.code: a for a in Academy.objects.all()}
    for campaign in Campaign.objects.order_by("pk"):
        placed = set()
        for number, group in enumerate(campaign.academy_groups or [], start=1):
            regroupement = Regroupement.objects.create(campaign=campaign, name=f"Regroupement {number}")
            for code in group:
                if code in academies and code not in placed:
                    placed.add(code)
                    RegroupementAcademy.objects.create(
                        regroupement=regroupement, academy=academies[code], campaign=campaign
                    )


def regroupements_to_groups(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    RegroupementAcademy = apps.get_model("campaigns", "RegroupementAcademy")
    for campaign in Campaign.objects.order_by("pk"):
        groups = {}
        for row in (
            RegroupementAcademy.objects.filter(campaign=campaign)
            .order_by("regroupement__name", "regroupement_id", "academy__code")
            .select_related("academy")
        ):
            groups.setdefault(row.regroupement_id, []).append(row.academy.code)
        campaign.academy_groups = list(groups.values())
        campaign.save(update_fields=["academy_groups"])


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0007_inspe_organisations_mentions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="reading_delay_days",
            field=models.PositiveSmallIntegerField(
                default=7,
                help_text="Nombre minimal de jours entre le gel du dossier et l'oral, pour que les jurés le lisent (une à deux semaines selon le rapport de jury Pix+ Édu).",
                validators=[django.core.validators.MaxValueValidator(60)],
                verbose_name="délai de lecture des dossiers (jours)",
            ),
        ),
        migrations.CreateModel(
            name="Regroupement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=120, verbose_name="nom")),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="regroupements",
                        to="campaigns.campaign",
                    ),
                ),
                (
                    "president",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="presided_regroupements",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="président",
                    ),
                ),
            ],
            options={
                "verbose_name": "regroupement inter-académique",
                "verbose_name_plural": "regroupements inter-académiques",
                "ordering": ("name", "pk"),
            },
        ),
        migrations.CreateModel(
            name="RegroupementAcademy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "academy",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="campaigns.academy"
                    ),
                ),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="campaigns.campaign"
                    ),
                ),
                (
                    "regroupement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="campaigns.regroupement",
                    ),
                ),
            ],
            options={
                "verbose_name": "académie d'un regroupement",
                "verbose_name_plural": "académies des regroupements",
            },
        ),
        migrations.AddField(
            model_name="regroupement",
            name="academies",
            field=models.ManyToManyField(
                related_name="regroupements",
                through="campaigns.RegroupementAcademy",
                to="campaigns.academy",
                verbose_name="académies",
            ),
        ),
        migrations.AddConstraint(
            model_name="regroupementacademy",
            constraint=models.UniqueConstraint(
                fields=("campaign", "academy"), name="regroupement_academy_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="regroupement",
            constraint=models.UniqueConstraint(fields=("campaign", "name"), name="regroupement_unique_name"),
        ),
        migrations.RunPython(groups_to_regroupements, regroupements_to_groups),
        migrations.RemoveField(
            model_name="campaign",
            name="academy_groups",
        ),
    ]
