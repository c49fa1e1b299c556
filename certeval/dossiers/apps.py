from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "certeval.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from certeval.campaigns import hooks
        from certeval.dossiers import hooks as dossier_hooks
        from certeval.dossiers import prep_links

        hooks.register(hooks.ENROLLED, dossier_hooks.open_dossier)
        hooks.register(hooks.STATE_CHANGED, dossier_hooks.close_deposit)
        hooks.register(hooks.RECORD_FROZEN, dossier_hooks.record_frozen)
        hooks.register(hooks.ENROLMENT_SECTIONS, dossier_hooks.enrolment_section)
        hooks.register(hooks.CANDIDATE_NOTICES, prep_links.candidate_notice)
        hooks.register(hooks.ENROLMENT_SECTIONS, prep_links.enrolment_section)
