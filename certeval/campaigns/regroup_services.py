"""Writes of the regroupements inter-académiques of a campaign (seed 004, §4.2.1 and §5.1).

One service creates or changes a regroupement: its name, its academies (an academy belongs to at
most one regroupement per campaign) and its president. It checks the permission, locks the
campaign, validates, writes, grants the president's role and records the audit row in one
transaction; the contexts above (juries) follow the president through ``hooks.REGROUPEMENT_SAVED``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.accounts.roles import Role
from certeval.audit.services import audit_record
from certeval.campaigns import hooks, permissions
from certeval.campaigns.models import (
    Academy,
    Campaign,
    CampaignState,
    Regroupement,
    RegroupementAcademy,
)
from certeval.campaigns.services import CampaignError, CampaignInvalid, campaign_role_grant

MIN_ACADEMIES = 2
"""A regroupement inter-académique brings together at least two academies."""


def regroupement_errors(
    *, campaign: Campaign, name: str, academies: Iterable[Academy], regroupement: Regroupement | None
) -> list[str]:
    """Why this regroupement cannot be saved, in French (empty when it can)."""
    errors = []
    chosen = list(academies)
    others = Regroupement.objects.filter(campaign=campaign)
    if regroupement is not None:
        others = others.exclude(pk=regroupement.pk)
    if not name.strip():
        errors.append(_("Donnez un nom au regroupement."))
    elif others.filter(name__iexact=name.strip()).exists():
        errors.append(_("La campagne a déjà un regroupement nommé « %(name)s ».") % {"name": name.strip()})
    if len({a.pk for a in chosen}) < MIN_ACADEMIES:
        errors.append(_("Un regroupement inter-académique réunit au moins deux académies."))
    taken = (
        RegroupementAcademy.objects.filter(regroupement__in=others, academy__in=chosen)
        .select_related("academy", "regroupement")
        .order_by("academy__name")
    )
    for row in taken:
        errors.append(
            _(
                "L'académie de %(academy)s appartient déjà au regroupement « %(other)s » : une académie "
                "ne figure que dans un seul regroupement de la campagne."
            )
            % {"academy": row.academy.name, "other": row.regroupement.name}
        )
    return errors


@transaction.atomic
def regroupement_save(
    *,
    campaign: Campaign,
    by: User,
    name: str,
    academies: Iterable[Academy],
    president: User | None,
    regroupement: Regroupement | None = None,
) -> Regroupement:
    """Create (``regroupement`` None) or change a regroupement of the campaign."""
    if not permissions.can_manage_campaign(by, campaign):
        raise CampaignError(
            _("Seuls un organisateur de toute la campagne ou un administrateur gèrent ses regroupements.")
        )
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state == CampaignState.ARCHIVED:
        raise CampaignError(_("La campagne est archivée : ses regroupements ne changent plus."))
    if regroupement is not None and regroupement.campaign_id != campaign.pk:
        raise CampaignError(_("Ce regroupement n'appartient pas à la campagne."))
    chosen = sorted(set(academies), key=lambda a: a.name)
    errors = regroupement_errors(campaign=campaign, name=name, academies=chosen, regroupement=regroupement)
    if errors:
        raise CampaignInvalid(" ".join(errors))
    created = regroupement is None
    if regroupement is None:
        regroupement = Regroupement(campaign=campaign)
        before: dict[str, object] = {}
    else:
        regroupement = Regroupement.objects.select_for_update().get(pk=regroupement.pk)
        before = _state(regroupement)
    regroupement.name = name.strip()
    regroupement.president = president
    regroupement.save()
    RegroupementAcademy.objects.filter(regroupement=regroupement).exclude(academy__in=chosen).delete()
    have = set(
        RegroupementAcademy.objects.filter(regroupement=regroupement).values_list("academy_id", flat=True)
    )
    RegroupementAcademy.objects.bulk_create(
        RegroupementAcademy(regroupement=regroupement, academy=a, campaign=campaign)
        for a in chosen
        if a.pk not in have
    )
    if president is not None:
        campaign_role_grant(campaign=campaign, user=president, role=Role.PRESIDENT, by=by)
    after = _state(regroupement)
    changes = {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}
    if changes or created:
        for listener in hooks.REGROUPEMENT_SAVED:
            listener(regroupement, by)
        audit_record(
            actor=by,
            action="campaign.regroupement_create" if created else "campaign.regroupement_update",
            target=campaign,
            data={"regroupement": regroupement.pk, "changes": changes},
        )
    return regroupement


def _state(regroupement: Regroupement) -> dict[str, object]:
    """What the audit row compares: the name, the academy codes, the president's id."""
    return {
        "name": regroupement.name,
        "academies": sorted(
            RegroupementAcademy.objects.filter(regroupement=regroupement).values_list(
                "academy__code", flat=True
            )
        ),
        "president": regroupement.president_id,
    }
