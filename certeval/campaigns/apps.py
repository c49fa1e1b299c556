from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "certeval.campaigns"
    label = "campaigns"
    verbose_name = _("Campagnes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from certeval.accounts.staff import register_staff_check
        from certeval.campaigns.staff_roles import holds_campaign_staff_role

        register_staff_check(holds_campaign_staff_role)
        from certeval.campaigns import hooks, titre_views
        from certeval.campaigns.navigation import role_entries
        from certeval.core.context_processors import NAVIGATION_PROVIDERS

        hooks.register(hooks.ENROLMENT_SECTIONS, titre_views.enrolment_section)
        hooks.register(hooks.CANDIDATE_NOTICES, titre_views.candidate_notice)
        if role_entries not in NAVIGATION_PROVIDERS:
            NAVIGATION_PROVIDERS.append(role_entries)
