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
        from certeval.juries import hooks as jury_hooks
        from certeval.results import award_hooks, credential_hooks, dashboard_links
        from certeval.results.cdc_links import campaign_links as cdc_campaign_links
        from certeval.results.files_links import campaign_links as files_links
        from certeval.results.publication import publication_blockers, publication_confirmation
        from certeval.results.session_publication import notify_campaign_published
        from certeval.results.stats_views import campaign_links as stats_links
        from certeval.testing import hooks as testing_hooks

        register_transition_guard(
            CampaignState.PUBLISHED, publication_blockers, confirmation=publication_confirmation
        )
        campaign_hooks.register(campaign_hooks.CAMPAIGN_LINKS, stats_links)
        campaign_hooks.register(campaign_hooks.CAMPAIGN_LINKS, cdc_campaign_links)
        campaign_hooks.register(campaign_hooks.STATE_CHANGED, award_hooks.issue_on_publication)
        campaign_hooks.register(jury_hooks.DELIBERATION_VALIDATED, award_hooks.issue_on_validation)
        campaign_hooks.register(testing_hooks.PLACEMENT_FINISHED, award_hooks.issue_on_placement)
        campaign_hooks.register(campaign_hooks.CAMPAIGN_LINKS, award_hooks.campaign_links)
        campaign_hooks.register(campaign_hooks.CANDIDATE_NOTICES, award_hooks.candidate_notice)
        campaign_hooks.register(testing_hooks.PLACEMENT_RESULT_LINKS, award_hooks.placement_result_links)
        # After the awards' hooks: the credentials of the awards just issued are signed in the background.
        campaign_hooks.register(campaign_hooks.STATE_CHANGED, credential_hooks.sign_on_publication)
        campaign_hooks.register(testing_hooks.PLACEMENT_FINISHED, credential_hooks.sign_on_placement)
        campaign_hooks.register(campaign_hooks.STATE_CHANGED, notify_campaign_published)
        campaign_hooks.register(campaign_hooks.CAMPAIGN_LINKS, dashboard_links.campaign_links)
        campaign_hooks.register(campaign_hooks.SESSION_LINKS, dashboard_links.session_links)
        campaign_hooks.register(campaign_hooks.CAMPAIGN_LINKS, files_links)
