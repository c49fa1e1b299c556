from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0003_campaign_slug"),
    ]

    operations = [
        migrations.AddField(
            model_name="academy",
            name="region",
            field=models.CharField(blank=True, max_length=120, verbose_name="région académique"),
        ),
    ]
