from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuriesConfig(AppConfig):
    name = "certeval.juries"
    label = "juries"
    verbose_name = _("Jurys")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from certeval.accounts.staff import register_staff_check
        from certeval.juries.staff_roles import holds_jury_role

        register_staff_check(holds_jury_role)
        from certeval.campaigns import hooks
        from certeval.juries import rehearsal_hooks
        from certeval.juries.selectors import decision_outcomes
        from certeval.juries.services.composition import regroupement_presidents_sync
        from certeval.juries.views.regroup import regroupement_links

        hooks.register(hooks.DECISION_OUTCOMES, decision_outcomes)
        hooks.register(hooks.CANDIDATE_NOTICES, rehearsal_hooks.candidate_notice)
        hooks.register(hooks.CAMPAIGN_LINKS, rehearsal_hooks.campaign_links)
        hooks.register(hooks.ENROLMENT_SECTIONS, rehearsal_hooks.enrolment_section)
        hooks.register(hooks.REGROUPEMENT_SAVED, regroupement_presidents_sync)
        hooks.register(hooks.REGROUPEMENT_LINKS, regroupement_links)
