"""Who may see or do what with campaigns, sessions and enrolments — and the campaign + academy
scope that every other context's policy builds on (see docs/permissions.md).

- Administrators reach everything.
- An organiser's role is on one campaign, for the whole campaign or limited to one academy:
  ``campaigns_managed`` (any scope: read the campaign, manage one's own academy's candidates) and
  ``campaigns_run`` (the whole campaign: state, settings, sessions, reminders, juries, audit log);
  ``organised_enrolments`` is the academy-limited scope of enrolments.
- A member of an organisation with the organiser role runs the organisation's campaigns as a
  campaign-wide organiser does (``_organisation_organiser``); a teacher member gains nothing here
  (their students: ``certeval.juries.teacher_permissions``).
- Regroupements inter-académiques: those who run the campaign see and change them all; an
  organiser limited to an academy sees the regroupements containing it; a president sees the one
  they preside (``regroupements_visible``). Nobody sees another regroupement's juries through it.
- Invigilators see the sessions they supervise and their candidates; reviewers (jurors and
  presidents) the enrolments assigned to them.
"""

from __future__ import annotations

from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Concat

from certeval.accounts.models import User
from certeval.accounts.permissions import is_administrator
from certeval.accounts.roles import Role
from certeval.campaigns.models import (
    Campaign,
    CampaignRole,
    Enrolment,
    OrganisationMember,
    Regroupement,
    Session,
)


def _organisation_organiser(user: User) -> Q:
    """Campaigns of the organisations the user organises (the organisation's organiser role)."""
    return Q(
        organisation__in=OrganisationMember.objects.filter(
            user=user, role=OrganisationMember.Role.ORGANISER
        ).values("organisation")
    )


MEMBER = "member:"


def organises_an_organisation(user: User) -> bool:
    """Whether the user is an organiser of some organisation (for navigation; read with ``roles_of``
    at no extra query)."""
    roles_of(user)
    return bool(getattr(user, "_certeval_organises", False))


def roles_of(user: User) -> set[Role]:
    """Every role the user holds somewhere (for navigation; decisions use the scoped functions).

    Kept on the user object for the rest of the request: every navigation provider asks."""
    if not user.is_authenticated:
        return set()
    cached: frozenset[Role] | None = getattr(user, "_certeval_roles", None)
    if cached is not None:
        return set(cached)
    # Campaign roles and organisation roles in one query (organisation roles tagged « member: »).
    held = set(
        CampaignRole.objects.filter(user=user)
        .order_by()
        .values_list("role", flat=True)
        .union(
            OrganisationMember.objects.filter(user=user)
            .order_by()
            .annotate(tag=Concat(Value(MEMBER), F("role"), output_field=CharField()))
            .values_list("tag", flat=True)
        )
    )
    roles = {Role(r) for r in held if not r.startswith(MEMBER)}
    if MEMBER + OrganisationMember.Role.ORGANISER in held:
        roles.add(Role.ORGANISER)
    if MEMBER + OrganisationMember.Role.TEACHER in held:
        roles.add(Role.TEACHER)
    user._certeval_organises = MEMBER + OrganisationMember.Role.ORGANISER in held  # type: ignore[attr-defined]
    if user.reviews.exists():
        roles |= {Role(r) for r in user.reviews.values_list("role", flat=True).distinct()}
    if hasattr(user, "candidate"):
        roles.add(Role.CANDIDATE)
    if is_administrator(user):
        roles.add(Role.ADMINISTRATOR)
    user._certeval_roles = frozenset(roles)  # type: ignore[attr-defined]
    return roles


def campaigns_managed(user: User) -> QuerySet[Campaign]:
    """Campaigns the user organises, whatever the scope of their role (an organiser limited to an
    academy reads the campaign and manages its own academy's candidates): all for administrators."""
    if is_administrator(user):
        return Campaign.objects.all()
    if not user.is_authenticated:
        return Campaign.objects.none()
    return Campaign.objects.filter(
        Q(roles__user=user, roles__role=Role.ORGANISER) | _organisation_organiser(user)
    ).distinct()


def campaigns_run(user: User) -> QuerySet[Campaign]:
    """Campaigns the user runs as a whole — state, settings, sessions, reminders, juries, the
    campaign's audit log: administrators, and organisers whose role is not limited to an academy."""
    if is_administrator(user):
        return Campaign.objects.all()
    if not user.is_authenticated:
        return Campaign.objects.none()
    return Campaign.objects.filter(
        Q(roles__user=user, roles__role=Role.ORGANISER, roles__academy__isnull=True)
        | _organisation_organiser(user)
    ).distinct()


def can_manage_campaign(user: User, campaign: Campaign) -> bool:
    return campaigns_run(user).filter(pk=campaign.pk).exists()


def academies_enrollable(user: User, campaign: Campaign) -> set[int] | None:
    """The academies in which the user may enrol candidates on the campaign: ``None`` for all of
    them (administrators, campaign-wide organisers), else the academies of their organiser roles."""
    if is_administrator(user):
        return None
    scopes = _organiser_academies(user, campaign)
    return None if None in scopes else {a for a in scopes if a is not None}


def can_create_campaign(user: User) -> bool:
    """Administrators, and organisers of at least one campaign, may open a new campaign."""
    return is_administrator(user) or (
        user.is_authenticated
        and (
            CampaignRole.objects.filter(user=user, role=Role.ORGANISER).exists()
            or OrganisationMember.objects.filter(user=user, role=OrganisationMember.Role.ORGANISER).exists()
        )
    )


def _organiser_academies(user: User, campaign: Campaign) -> set[int | None]:
    """The academy scopes of the user's organiser roles on a campaign (None: the whole campaign,
    as for an organiser of the campaign's organisation)."""
    scopes: set[int | None] = set(
        CampaignRole.objects.filter(user=user, campaign=campaign, role=Role.ORGANISER).values_list(
            "academy_id", flat=True
        )
    )
    if (
        campaign.organisation_id is not None
        and OrganisationMember.objects.filter(
            user=user, organisation_id=campaign.organisation_id, role=OrganisationMember.Role.ORGANISER
        ).exists()
    ):
        scopes.add(None)
    return scopes


def can_grant_role(user: User, campaign: Campaign, role: str, academy_id: int | None) -> bool:
    """Administrators and the campaign's organisers grant staff roles on it; an organiser scoped to
    an academy only grants organiser roles scoped to that same academy."""
    if is_administrator(user):
        return True
    if not user.is_authenticated:
        return False
    scopes = _organiser_academies(user, campaign)
    if None in scopes:
        return True
    return role == Role.ORGANISER and academy_id is not None and academy_id in scopes


def campaign_roles_revocable(user: User, campaign: Campaign) -> QuerySet[CampaignRole]:
    """The staff roles of a campaign the user may withdraw (the same scope as granting)."""
    roles = CampaignRole.objects.filter(campaign=campaign)
    if is_administrator(user):
        return roles
    if not user.is_authenticated:
        return roles.none()
    scopes = _organiser_academies(user, campaign)
    if None in scopes:
        return roles
    return roles.filter(role=Role.ORGANISER, academy_id__in=[a for a in scopes if a is not None])


def sessions_visible(user: User) -> QuerySet[Session]:
    """Sessions of the campaigns the user runs, and those an invigilator is assigned to."""
    if is_administrator(user):
        return Session.objects.all()
    if not user.is_authenticated:
        return Session.objects.none()
    return Session.objects.filter(Q(campaign__in=campaigns_run(user)) | _invigilated(user)).distinct()


def _invigilated(user: User) -> Q:
    """Sessions an invigilator is assigned to (all the campaign's sessions when the role has no session)."""
    roles = CampaignRole.objects.filter(user=user, role=Role.INVIGILATOR)
    return Q(pk__in=roles.filter(session__isnull=False).values("session")) | Q(
        campaign__in=roles.filter(session__isnull=True).values("campaign")
    )


def organised_enrolments(user: User) -> Q:
    """Organisers see their campaigns' enrolments, limited to their academy when their role has one."""
    condition = Q(pk__in=[])
    for role in CampaignRole.objects.filter(user=user, role=Role.ORGANISER):
        scope = Q(campaign_id=role.campaign_id)
        if role.academy_id is not None:
            scope &= Q(academy_id=role.academy_id)
        condition |= scope
    return condition | Q(campaign__in=Campaign.objects.filter(_organisation_organiser(user)))


def enrolments_managed(user: User) -> QuerySet[Enrolment]:
    """Enrolments the user may change (organisers within their scope, administrators)."""
    if is_administrator(user):
        return Enrolment.objects.all()
    if not user.is_authenticated:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(organised_enrolments(user))


def enrolments_visible(user: User) -> QuerySet[Enrolment]:
    """Enrolments the user may read: their own, their organised scope, their assigned reviews,
    and, for invigilators, the candidates of their sessions."""
    if is_administrator(user):
        return Enrolment.objects.all()
    if not user.is_authenticated:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(
        Q(candidate__user=user)
        | organised_enrolments(user)
        | Q(reviewers__user=user)
        | Q(session__in=Session.objects.filter(_invigilated(user)))
    ).distinct()


def can_manage_enrolment(user: User, enrolment: Enrolment) -> bool:
    return enrolments_managed(user).filter(pk=enrolment.pk).exists()


def enrolments_own_or_managed(user: User) -> QuerySet[Enrolment]:
    """Enrolments whose private record (prerequisite evidence, dossier history) the user may read:
    the candidate's own, organisers in scope, administrators — not reviewers nor invigilators."""
    if is_administrator(user):
        return Enrolment.objects.all()
    if not user.is_authenticated:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(Q(candidate__user=user) | organised_enrolments(user)).distinct()


def people_in_scope(user: User, campaign: Campaign) -> QuerySet[User] | None:
    """The people an organiser limited to an academy may read about on a campaign (its candidates
    in their academy), or ``None`` for those who run the whole campaign."""
    if can_manage_campaign(user, campaign):
        return None
    return User.objects.filter(candidate__enrolments__in=enrolments_managed(user).filter(campaign=campaign))


def regroupements_visible(user: User) -> QuerySet[Regroupement]:
    """Regroupements the user may read: all those of the campaigns they run, those containing the
    academy of their academy-limited organiser roles, and those they preside."""
    if is_administrator(user):
        return Regroupement.objects.all()
    if not user.is_authenticated:
        return Regroupement.objects.none()
    condition = Q(campaign__in=campaigns_run(user)) | Q(president=user)
    for role in CampaignRole.objects.filter(user=user, role=Role.ORGANISER, academy__isnull=False):
        condition |= Q(campaign_id=role.campaign_id, memberships__academy_id=role.academy_id)
    return Regroupement.objects.filter(condition).distinct()


def regroupements_managed(user: User) -> QuerySet[Regroupement]:
    """Regroupements the user may change: those of the campaigns they run as a whole."""
    if is_administrator(user):
        return Regroupement.objects.all()
    if not user.is_authenticated:
        return Regroupement.objects.none()
    return Regroupement.objects.filter(campaign__in=campaigns_run(user))
