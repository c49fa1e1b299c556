"""Writes on the certifying organisations: creation, members, the campaigns they scope."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns import permissions
from certeval.campaigns.models import (
    Academy,
    Campaign,
    Enrolment,
    Organisation,
    OrganisationMember,
    ReviewerAssignment,
)
from certeval.campaigns.organisation_permissions import can_create_organisation, can_manage_organisation
from certeval.campaigns.services import CampaignError, CampaignInvalid, validation_message


def organisation_create(*, actor: User, kind: str, name: str, academy: Academy | None) -> Organisation:
    """An administrator records a certifying organisation."""
    if not can_create_organisation(actor):
        raise CampaignError(_("Seul un administrateur crée une organisation."))
    with transaction.atomic():
        folded = name.strip().casefold()  # accented capitals too (« INSPÉ » and « inspé »)
        if any(n.casefold() == folded for n in Organisation.objects.values_list("name", flat=True)):
            raise CampaignError(_("Une organisation porte déjà ce nom."))
        organisation = Organisation(kind=kind, name=name.strip(), academy=academy)
        try:
            organisation.full_clean()
        except ValidationError as error:
            raise CampaignInvalid(validation_message(error, Organisation)) from error
        organisation.save()
        audit_record(actor=actor, action="organisation.create", target=organisation, data={"kind": kind})
    return organisation


def organisation_member_add(
    *,
    actor: User,
    organisation: Organisation,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
) -> OrganisationMember:
    """Add a person (created without a password when new) to an organisation with a role."""
    if not can_manage_organisation(actor, organisation):
        raise CampaignError(
            _("Seuls un administrateur ou un organisateur de l'organisation ajoutent ses membres.")
        )
    if role not in OrganisationMember.Role.values:
        raise CampaignError(_("Rôle inconnu."))
    address = email.strip().lower()
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        user = User.objects.filter(email=address).first()
        if user is None:
            user = User.objects.create_user(address, None, first_name=first_name, last_name=last_name)
            audit_record(actor=actor, action="account.create", target=user, data={"email": address})
        if OrganisationMember.objects.filter(organisation=organisation, user=user, role=role).exists():
            raise CampaignError(_("%(email)s a déjà ce rôle dans l'organisation.") % {"email": address})
        member = OrganisationMember.objects.create(organisation=organisation, user=user, role=role)
        audit_record(
            actor=actor,
            action="organisation.member_add",
            target=organisation,
            data={"user": user.pk, "role": role},
        )
    return member


def organisation_member_remove(*, actor: User, member: OrganisationMember) -> None:
    """Withdraw a member's role; an organisation keeps at least one organiser once it has one,
    unless an administrator removes it."""
    organisation = member.organisation
    if not can_manage_organisation(actor, organisation):
        raise CampaignError(
            _("Seuls un administrateur ou un organisateur de l'organisation retirent ses membres.")
        )
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        if member.user_id == actor.pk and member.role == OrganisationMember.Role.ORGANISER:
            raise CampaignError(_("Vous ne pouvez pas retirer votre propre rôle d'organisateur."))
        withdrawn: list[int] = []
        if member.role == OrganisationMember.Role.TEACHER:
            # A teacher reads their initial-training students' dossiers only as their teacher: the
            # reading goes with the role (a jury's reading of continuing-training dossiers stays).
            readings = ReviewerAssignment.objects.filter(
                user_id=member.user_id,
                enrolment__campaign__organisation=organisation,
                enrolment__training=Enrolment.Training.INITIAL,
            )
            withdrawn = list(readings.values_list("enrolment_id", flat=True))
            readings.delete()
        audit_record(
            actor=actor,
            action="organisation.member_remove",
            target=organisation,
            data={"user": member.user_id, "role": member.role, "dossiers_no_longer_read": withdrawn},
        )
        member.delete()


def organisation_campaign_attach(*, actor: User, organisation: Organisation, campaign: Campaign) -> Campaign:
    """Scope a campaign the actor runs to an organisation they manage (its organisers then run it)."""
    if not can_manage_organisation(actor, organisation) or not permissions.can_manage_campaign(
        actor, campaign
    ):
        raise CampaignError(
            _("Rattachez une campagne que vous organisez à une organisation dont vous êtes organisateur.")
        )
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.organisation_id == organisation.pk:
            raise CampaignError(_("La campagne est déjà rattachée à cette organisation."))
        before = campaign.organisation.name if campaign.organisation is not None else ""
        campaign.organisation = organisation
        campaign.save(update_fields=["organisation"])
        audit_record(
            actor=actor,
            action="campaign.update",
            target=campaign,
            data={"changes": {"organisation": [before, organisation.name]}},
        )
    return campaign
