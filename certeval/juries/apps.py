from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "certeval.juries"
    label = "juries"
    verbose_name = _("Jurys")
    default_auto_field = "django.db.models.BigAutoField"
