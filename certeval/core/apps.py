from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "certeval.core"
    label = "core"
    verbose_name = _("Socle")
    default_auto_field = "django.db.models.BigAutoField"
