"""The write path of the peer review of a draft dossier (seed 004, §5.2).

- The candidate invites a peer by e-mail (``peer_invite``) and may revoke the invitation
  (``peer_revoke``); at most ``CERTEVAL_PEER_REVIEW_MAX_INVITATIONS`` invitations that are not
  revoked (default 5).
- The peer opens a signed link (``invitation_token``): no account is needed. The link works while
  the invitation is not revoked, the dossier is still a draft and the deposit deadline has not
  passed, and for ``CERTEVAL_PEER_REVIEW_LINK_MAX_AGE_DAYS`` days at most (default 60).
- The peer reads the current files of the draft (``peer_file_open``, audited) and writes feedback
  per section or overall (``peer_feedback_add``). Nothing of a frozen dossier is ever shown.

Every action is audited in the same transaction; the invitation e-mail goes through the task
worker once the transaction commits (:mod:`certeval.dossiers.peer_emails`)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import Enrolment
from certeval.core.dates import paris_text
from certeval.dossiers import permissions
from certeval.dossiers.guide_data import guide_for
from certeval.dossiers.models import Dossier, DossierFile
from certeval.dossiers.peer_models import FEEDBACK_MAX_LENGTH, OVERALL, PeerFeedback, PeerInvitation

SALT = "certeval.dossiers.peer-review"
DEFAULT_MAX_INVITATIONS = 5
DEFAULT_LINK_MAX_AGE_DAYS = 60
# A bound on what one link may write (a leaked link cannot flood the candidate's page).
MAX_FEEDBACK_PER_INVITATION = 50


class PeerReviewRefused(Exception):
    """A peer-review action refused for a business reason (the message is French)."""


def max_invitations() -> int:
    return int(getattr(settings, "CERTEVAL_PEER_REVIEW_MAX_INVITATIONS", DEFAULT_MAX_INVITATIONS))


def link_max_age() -> timedelta:
    return timedelta(
        days=int(getattr(settings, "CERTEVAL_PEER_REVIEW_LINK_MAX_AGE_DAYS", DEFAULT_LINK_MAX_AGE_DAYS))
    )


# --- Links ---------------------------------------------------------------------------------------


def invitation_token(invitation: PeerInvitation) -> str:
    """The signed, timestamped token of the invitation's link."""
    return signing.dumps({"i": invitation.pk, "k": invitation.key}, salt=SALT, compress=True)


def invitation_from_token(token: str) -> PeerInvitation | None:
    """The invitation of a token, revoked or not; None for a forged, altered or too old token."""
    if not token or len(token) > 300:
        return None
    try:
        payload = signing.loads(token, salt=SALT, max_age=link_max_age())
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("i"), int):
        return None
    invitation = (
        PeerInvitation.objects.select_related(
            "enrolment__campaign__framework_version", "enrolment__candidate"
        )
        .filter(pk=payload["i"])
        .first()
    )
    if invitation is None or not secrets.compare_digest(invitation.key, str(payload.get("k", ""))):
        return None
    return invitation


# --- What is open ----------------------------------------------------------------------------------


def draft_open(enrolment: Enrolment, *, now: datetime) -> bool:
    """Whether the dossier was still a draft at ``now``, before the deposit deadline."""
    if now >= enrolment.campaign.deposit_deadline:
        return False
    dossier = Dossier.objects.filter(enrolment=enrolment).only("state", "frozen_at").first()
    return dossier is None or dossier.frozen_at is None or dossier.frozen_at > now


def closed_reason(invitation: PeerInvitation, *, now: datetime) -> str | None:
    """Why the invitation's link no longer opens the draft (French), or None while it does."""
    if invitation.revoked_at is not None and invitation.revoked_at <= now:
        return _("Cette invitation a été révoquée par le candidat : elle ne donne plus accès au dossier.")
    if not draft_open(invitation.enrolment, now=now):
        return _(
            "La relecture est close : le dossier a été déposé ou la date limite de dépôt (%(deadline)s) est "
            "passée. Les pairs ne voient jamais le dossier déposé."
        ) % {"deadline": paris_text(invitation.enrolment.campaign.deposit_deadline)}
    return None


def section_choices(enrolment: Enrolment) -> list[tuple[str, str]]:
    """The sections a peer comments on: overall, then the guide's dossier sections (Annexe 6)."""
    guide = guide_for(enrolment.campaign.framework_version.framework_id)
    sections = guide.feedback_sections() if guide is not None else []
    return [(OVERALL, _("Avis d'ensemble")), *sections]


def section_label(enrolment: Enrolment, section: str) -> str:
    return dict(section_choices(enrolment)).get(section, section)


def active_invitations(enrolment: Enrolment) -> int:
    return PeerInvitation.objects.filter(enrolment=enrolment, revoked_at__isnull=True).count()


# --- Writes ----------------------------------------------------------------------------------------


def _lock(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_for_update().select_related("campaign", "candidate").get(pk=enrolment.pk)


def peer_invite(
    *,
    enrolment: Enrolment,
    by: User,
    email: str,
    name: str = "",
    message: str = "",
    now: datetime | None = None,
) -> PeerInvitation:
    """Invite a peer to read the draft; the e-mail leaves once the transaction commits."""
    from certeval.dossiers.peer_emails import enqueue_invitation

    now = now or timezone.now()
    if not permissions.can_deposit(by, enrolment):
        raise PermissionDenied
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except Exception as exc:
        raise PeerReviewRefused(
            _("Adresse électronique invalide : « %(email)s ».") % {"email": email}
        ) from exc
    with transaction.atomic():
        locked = _lock(enrolment)
        refusal: str | None = None
        if not draft_open(locked, now=now):
            refusal = _(
                "Vous ne pouvez plus inviter de pair : votre dossier est déposé ou la date limite de dépôt est passée."
            )
        elif email == locked.candidate.email.lower():
            refusal = _("Invitez un pair : votre propre adresse ne peut pas recevoir d'invitation.")
        elif PeerInvitation.objects.filter(enrolment=locked, email=email, revoked_at__isnull=True).exists():
            refusal = _("%(email)s a déjà une invitation en cours pour ce dossier.") % {"email": email}
        elif active_invitations(locked) >= max_invitations():
            refusal = _(
                "Vous avez déjà %(count)s invitations en cours, le maximum : révoquez-en une pour inviter un autre pair."
            ) % {"count": max_invitations()}
        if refusal:
            audit_record(
                actor=by,
                action="dossier.peer_invite",
                target=locked,
                refused=True,
                message=refusal,
                data={"email": email},
            )
        else:
            invitation = PeerInvitation.objects.create(
                enrolment=locked,
                email=email,
                name=name.strip()[:150],
                message=message.strip()[:1000],
                key=secrets.token_urlsafe(24),
                invited_by=by,
                invited_at=now,
            )
            audit_record(
                actor=by,
                action="dossier.peer_invite",
                target=invitation,
                data={"email": email},
                campaign=locked.campaign,
                person=locked.candidate.user,
            )
            enqueue_invitation(invitation.pk)
            return invitation
    raise PeerReviewRefused(refusal)


def peer_revoke(*, invitation: PeerInvitation, by: User, now: datetime | None = None) -> PeerInvitation:
    """The candidate withdraws an invitation: the link stops working at once."""
    now = now or timezone.now()
    if not permissions.can_deposit(by, invitation.enrolment):
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            PeerInvitation.objects.select_for_update()
            .select_related("enrolment__campaign")
            .get(pk=invitation.pk)
        )
        if locked.revoked_at is not None:
            raise PeerReviewRefused(
                _("L'invitation de %(email)s est déjà révoquée.") % {"email": locked.email}
            )
        locked.revoked_at = now
        locked.save(update_fields=["revoked_at"])
        audit_record(
            actor=by,
            action="dossier.peer_revoke",
            target=locked,
            data={"email": locked.email},
            campaign=locked.enrolment.campaign,
            person=by,
        )
    return locked


def peer_feedback_add(
    *, invitation: PeerInvitation, section: str, text: str, by: User | None, now: datetime | None = None
) -> PeerFeedback:
    """A peer's written feedback on one section of the draft, or overall (``by``: the signed-in
    person, None for a peer without an account)."""
    now = now or timezone.now()
    text = (text or "").strip()
    if section not in dict(section_choices(invitation.enrolment)):
        raise PeerReviewRefused(_("Choisissez une rubrique du dossier ou « Avis d'ensemble »."))
    if not text:
        raise PeerReviewRefused(_("Écrivez votre avis avant de l'envoyer."))
    if len(text) > FEEDBACK_MAX_LENGTH:
        raise PeerReviewRefused(
            _("Votre avis dépasse %(max)s caractères (%(count)s) : raccourcissez-le.")
            % {"max": FEEDBACK_MAX_LENGTH, "count": len(text)}
        )
    with transaction.atomic():
        locked = (
            PeerInvitation.objects.select_for_update()
            .select_related("enrolment__campaign", "enrolment__candidate")
            .get(pk=invitation.pk)
        )
        reason = closed_reason(locked, now=now)
        if reason:
            raise PeerReviewRefused(reason)
        if PeerFeedback.objects.filter(invitation=locked).count() >= MAX_FEEDBACK_PER_INVITATION:
            raise PeerReviewRefused(
                _("Vous avez déjà envoyé %(max)s avis sur ce dossier, le maximum par invitation.")
                % {"max": MAX_FEEDBACK_PER_INVITATION}
            )
        feedback = PeerFeedback.objects.create(
            invitation=locked,
            section=section,
            text=text,
            author=by if by is not None and by.is_authenticated else None,
            created_at=now,
        )
        audit_record(
            actor=by,
            action="dossier.peer_feedback",
            target=feedback,
            data={"email": locked.email, "section": section},
            campaign=locked.enrolment.campaign,
            person=locked.enrolment.candidate.user,
        )
    return feedback


def peer_files(invitation: PeerInvitation, *, now: datetime | None = None) -> list[DossierFile]:
    """The current files of the draft, while the invitation opens it; otherwise none."""
    now = now or timezone.now()
    if closed_reason(invitation, now=now) is not None:
        return []
    return list(DossierFile.objects.filter(dossier__enrolment=invitation.enrolment).current())


def peer_file_open(
    *, invitation: PeerInvitation, file_id: int, by: User | None, now: datetime | None = None
) -> DossierFile | None:
    """The file and its stream for the peer (audited), or None when the invitation does not open
    that file: another dossier's, a past version, or the invitation is closed."""
    now = now or timezone.now()
    stored = next((f for f in peer_files(invitation, now=now) if f.pk == file_id), None)
    if stored is None:
        return None
    with transaction.atomic():
        # On the invitation (the dossier's history lists the candidate's and the organisation's acts).
        audit_record(
            actor=by,
            action="dossier.peer_download",
            target=invitation,
            data={"file": stored.pk, "email": invitation.email},
            campaign=invitation.enrolment.campaign,
            person=invitation.enrolment.candidate.user,
        )
    return stored


def open_stream(stored: DossierFile) -> IO[bytes]:
    return default_storage.open(stored.storage_name, "rb")
