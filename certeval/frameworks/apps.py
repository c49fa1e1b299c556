from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "certeval.frameworks"
    label = "frameworks"
    verbose_name = _("Référentiels")
    default_auto_field = "django.db.models.BigAutoField"
