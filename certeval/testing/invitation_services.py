"""Writes of placement-run invitations (docs/testing.md, « Placement run », Invitations).

- :func:`invitations_send`: an organiser invites several addresses at once to the placement run of
  a campaign (one per line, every line checked; nothing is sent while a line is wrong; an address
  already invited, or given twice, is ignored and said so). An address without an account gets one
  without a password, as at enrolment: the invitation e-mail carries the link to choose it. The
  e-mail is sent by the task worker once the transaction commits (``invitation_emails``).
- :func:`invitation_revoke`: an invitation not accepted yet is revoked; its link then answers « no
  longer valid ».
- :func:`invitation_accept`: the invited person, signed in with the invited address, accepts; when
  they have no candidate identity yet, they give it here (validated as at enrolment; staff accounts
  are refused as at enrolment). The view then starts their placement run of the campaign's bank
  (``run_services.placement_start``).
- :func:`level_at_enrolment` (a ``campaigns.hooks.ENROLLED`` hook): a person enrolled in a campaign
  of a bank, without a target level, receives the level of their last finished placement run of
  that bank — the invitee who took the run before enrolling.

Every write checks its actor, runs in one transaction and records its audit row.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.identities import is_staff_account
from certeval.campaigns.models import Academy, Campaign, Candidate, Enrolment
from certeval.campaigns.services import validation_message
from certeval.testing import invitation_selectors as selectors
from certeval.testing.errors import TestingError
from certeval.testing.invitation_emails import enqueue_invitation
from certeval.testing.models import PlacementInvitation, Run
from certeval.testing.selectors import automated_test_of

MAX_LINES = 500


@dataclass
class Parsed:
    addresses: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_addresses(text: str) -> Parsed:
    """One address per line (blank lines ignored, case folded); each bad line named by its number."""
    parsed = Parsed()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().strip(",;").strip()
        if not line:
            continue
        address = line.lower()
        try:
            validate_email(address)
        except ValidationError:
            parsed.errors.append(
                _("Ligne %(n)s : « %(value)s » n'est pas une adresse électronique valide.")
                % {"n": number, "value": line[:200]}
            )
            continue
        if address in parsed.addresses:
            parsed.repeated.append(address)
        else:
            parsed.addresses.append(address)
    return parsed


@dataclass(frozen=True)
class Sent:
    invitations: list[PlacementInvitation]
    ignored: list[str]  # addresses already invited, or given twice


def _campaign_for(actor: User, campaign: Campaign) -> str:
    try:
        _campaign, bank = selectors.campaign_or_404(actor, campaign.pk)
    except Http404:
        raise TestingError(_("Campagne introuvable.")) from None
    return bank


def invitations_send(*, actor: User, campaign: Campaign, text: str, academy: Academy | None = None) -> Sent:
    """Invite every address of ``text`` to the campaign's placement run (all or nothing)."""
    _campaign_for(actor, campaign)
    scope = selectors.academy_scope(actor, campaign)
    if scope is not None and (academy is None or academy.pk not in scope):
        raise TestingError(_("Votre rôle vous permet d'inviter seulement pour votre académie."))
    if campaign.state not in selectors.INVITING_STATES:
        raise TestingError(
            _("Les invitations au parcours bilan ne sont possibles que pendant que la campagne est ouverte.")
        )
    if len(text.splitlines()) > MAX_LINES:
        raise TestingError(_("Au plus %(n)s adresses à la fois.") % {"n": MAX_LINES})
    parsed = parse_addresses(text)
    errors = list(parsed.errors)
    staff = {u.email: u for u in User.objects.filter(email__in=parsed.addresses) if is_staff_account(u)}
    for number, raw in enumerate(text.splitlines(), start=1):
        address = raw.strip().strip(",;").strip().lower()
        if address in staff:
            errors.append(
                _(
                    "Ligne %(n)s : « %(value)s » est le compte d'un membre de l'équipe (organisation, jury, "
                    "administration) ; il ne peut pas être invité comme candidat."
                )
                % {"n": number, "value": address}
            )
    if errors:
        raise TestingError(_("Aucune invitation n'est envoyée : corrigez les lignes en erreur."), errors)
    if not parsed.addresses:
        raise TestingError(_("Saisissez au moins une adresse électronique, une par ligne."))
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        active = selectors.active_emails(campaign)
        ignored = list(parsed.repeated)
        created = []
        for address in parsed.addresses:
            if address in active:
                ignored.append(address)
                continue
            user = User.objects.filter(email=address).first()
            if user is None:
                user = User.objects.create_user(address, None)
                audit_record(actor=actor, action="account.create", target=user, data={"email": address})
            invitation = PlacementInvitation.objects.create(
                campaign=campaign,
                email=address,
                academy=academy,
                token=secrets.token_urlsafe(32),
                invited_by=actor,
            )
            audit_record(
                actor=actor,
                action="testing.invitation_send",
                target=invitation,
                data={"email": address, "academy": academy.code if academy else None},
                campaign=campaign,
                person=user,
            )
            enqueue_invitation(invitation.pk)
            created.append(invitation)
    return Sent(created, sorted(set(ignored)))


def invitation_revoke(*, actor: User, invitation: PlacementInvitation) -> PlacementInvitation:
    """Revoke an invitation not accepted yet (an accepted one has given its run: it stays)."""
    in_scope = selectors.invitations_in_scope(actor, invitation.campaign).filter(pk=invitation.pk).exists()
    if not in_scope or selectors.bank_of(invitation.campaign) is None:
        raise TestingError(_("Invitation introuvable."))
    with transaction.atomic():
        locked = PlacementInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.revoked_at is not None:
            raise TestingError(_("Cette invitation est déjà révoquée."))
        if locked.accepted_at is not None:
            raise TestingError(
                _("Cette invitation a déjà été acceptée : la personne a commencé son parcours bilan.")
            )
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="testing.invitation_revoke",
            target=locked,
            data={"email": locked.email},
            campaign=locked.campaign,
            person=User.objects.filter(email=locked.email).first(),
        )
    return locked


@dataclass(frozen=True)
class IdentityInput:
    birth_name: str
    first_names: str
    birth_date: date
    usual_name: str = ""
    birth_place: str = ""


def _create_candidate(user: User, identity: IdentityInput) -> Candidate:
    """The person's candidate identity, checked as at enrolment (``campaigns.enrolments``)."""
    if is_staff_account(user):
        raise TestingError(
            _(
                "Ce compte appartient à un membre de l'équipe (organisation, jury, administration) : il ne peut "
                "pas passer le parcours bilan en candidat."
            )
        )
    if Candidate.objects.filter(email=user.email.lower()).exists():
        raise TestingError(
            _("Cette adresse est déjà associée à une autre identité. Un administrateur doit l'examiner.")
        )
    candidate = Candidate(
        user=user,
        email=user.email.lower(),
        birth_name=identity.birth_name.strip(),
        usual_name=identity.usual_name.strip(),
        first_names=identity.first_names.strip(),
        birth_date=identity.birth_date,
        birth_place=identity.birth_place.strip(),
    )
    try:
        candidate.full_clean(exclude=["user"])
    except ValidationError as error:
        raise TestingError(validation_message(error, Candidate)) from error
    candidate.save()
    if not user.first_name and not user.last_name:
        user.first_name = candidate.first_names.split(" ")[0]
        user.last_name = candidate.usual_name or candidate.birth_name
        user.save(update_fields=["first_name", "last_name"])
    audit_record(
        actor=user,
        action="testing.invitation_identity",
        target=candidate,
        data={"fields": ["birth_name", "usual_name", "first_names", "birth_date", "birth_place"]},
        person=user,
    )
    return candidate


def invitation_accept(
    *,
    actor: User,
    invitation: PlacementInvitation,
    school_level: str,
    identity: IdentityInput | None = None,
) -> PlacementInvitation:
    """Accept the invitation as the invited person (their identity created first when they have none)."""
    if not selectors.is_invitee(actor, invitation):
        raise TestingError(_("Cette invitation est adressée à une autre personne."))
    if school_level not in Enrolment.SchoolLevel.values:
        raise TestingError(_("Choisissez le degré dans lequel vous enseignez."))
    with transaction.atomic():
        locked = (
            PlacementInvitation.objects.select_for_update().select_related("campaign").get(pk=invitation.pk)
        )
        if locked.revoked_at is not None:
            raise TestingError(
                _("Cette invitation a été révoquée : elle ne donne plus accès au parcours bilan.")
            )
        if locked.campaign.state not in selectors.INVITING_STATES:
            raise TestingError(
                _(
                    "La campagne « %(title)s » n'est plus ouverte : cette invitation ne donne plus accès au parcours bilan."
                )
                % {"title": locked.campaign.title}
            )
        if locked.accepted_at is not None and locked.accepted_by_id == actor.pk:
            return locked
        if not Candidate.objects.filter(user=actor).exists():
            if identity is None:
                raise TestingError(_("Indiquez votre identité pour accepter l'invitation."))
            _create_candidate(actor, identity)
        locked.accepted_by = actor
        locked.accepted_at = timezone.now()
        locked.school_level = school_level
        locked.save(update_fields=["accepted_by", "accepted_at", "school_level"])
        audit_record(
            actor=actor,
            action="testing.invitation_accept",
            target=locked,
            data={"email": locked.email},
            campaign=locked.campaign,
            person=actor,
        )
    return locked


def level_at_enrolment(enrolment: Enrolment) -> None:
    """``campaigns.hooks.ENROLLED``: a new enrolment without a target level, in a campaign of a bank,
    receives the level proposed by the person's last finished placement run of that bank (taken
    before they enrolled, through an invitation for instance); audited on the enrolment."""
    if enrolment.target_level:
        return
    bank = automated_test_of(enrolment.campaign.framework_version)
    if bank is None:
        return
    run = (
        Run.objects.filter(
            candidate_id=enrolment.candidate_id,
            bank=bank,
            kind=Run.Kind.PLACEMENT,
            status=Run.Status.FINISHED,
        )
        .order_by("-finished_at", "-pk")
        .first()
    )
    if run is None or run.proposed_level not in dict(enrolment.campaign.level_choices):
        return
    enrolment.target_level = run.proposed_level
    enrolment.save(update_fields=["target_level"])
    audit_record(
        actor=None,
        action="testing.placement_target_level",
        target=enrolment,
        data={"target_level": run.proposed_level, "previous": "", "run": run.pk},
    )
