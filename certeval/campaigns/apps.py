from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "certeval.campaigns"
    label = "campaigns"
    verbose_name = _("Campagnes")
    default_auto_field = "django.db.models.BigAutoField"
