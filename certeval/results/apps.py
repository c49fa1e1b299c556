from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "certeval.results"
    label = "results"
    verbose_name = _("Résultats")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from certeval.campaigns import hooks as campaign_hooks
        from certeval.campaigns.guards import register_transition_guard
        from certeval.campaigns.models import CampaignState
        from certeval.results.files_links import campaign_links
        from certeval.results.publication import publication_blockers, publication_confirmation

        register_transition_guard(
            CampaignState.PUBLISHED, publication_blockers, confirmation=publication_confirmation
        )
        campaign_hooks.register(campaign_hooks.CAMPAIGN_LINKS, campaign_links)
