from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestingConfig(AppConfig):
    name = "certeval.testing"
    label = "testing"
    verbose_name = _("Volet automatisé")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from certeval.accounts.staff import register_staff_check
        from certeval.testing.staff_roles import holds_item_bank_role

        register_staff_check(holds_item_bank_role)
        from certeval.campaigns import prerequisites
        from certeval.testing import hooks

        prerequisites.register_automated_results(lookup=hooks.lookup, record=hooks.record)

        from certeval.campaigns import hooks as campaign_hooks
        from certeval.testing.invitation_services import level_at_enrolment

        campaign_hooks.register(campaign_hooks.ENROLLED, level_at_enrolment)
        from certeval.testing.campaign_links import campaign_links, session_links

        campaign_hooks.register(campaign_hooks.CAMPAIGN_LINKS, campaign_links)
        campaign_hooks.register(campaign_hooks.SESSION_LINKS, session_links)
        from certeval.testing import automated_section, remote_notice

        campaign_hooks.register(campaign_hooks.ENROLMENT_SECTIONS, automated_section.enrolment_section)
        campaign_hooks.register(campaign_hooks.ENROLMENT_SECTIONS, remote_notice.enrolment_section)
        campaign_hooks.register(campaign_hooks.CANDIDATE_NOTICES, remote_notice.candidate_notice)

        from certeval.core.context_processors import NAVIGATION_PROVIDERS
        from certeval.testing.item_navigation import item_bank_entries

        if item_bank_entries not in NAVIGATION_PROVIDERS:
            NAVIGATION_PROVIDERS.append(item_bank_entries)
        from certeval.testing.run_views import navigation_entries

        if navigation_entries not in NAVIGATION_PROVIDERS:
            NAVIGATION_PROVIDERS.append(navigation_entries)
        from certeval.testing.console_navigation import console_entries

        if console_entries not in NAVIGATION_PROVIDERS:
            NAVIGATION_PROVIDERS.append(console_entries)
