from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "certeval.juries"
    label = "juries"
    verbose_name = _("Jurys")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from certeval.campaigns import hooks
        from certeval.juries.services.composition import regroupement_presidents_sync
        from certeval.juries.views.regroup import regroupement_links

        hooks.register(hooks.REGROUPEMENT_SAVED, regroupement_presidents_sync)
        hooks.register(hooks.REGROUPEMENT_LINKS, regroupement_links)
