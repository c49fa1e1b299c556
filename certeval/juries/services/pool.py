"""Writes of the juror pool: the campaign's jury settings, jurors, conflicts, candidates' schools."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.accounts.roles import Role
from certeval.audit.services import audit_record
from certeval.campaigns.models import Academy, Campaign, Enrolment
from certeval.campaigns.services import CampaignError, campaign_role_grant, campaign_role_grant_by_email
from certeval.juries.errors import JuryError
from certeval.juries.explain import is_halfday
from certeval.juries.models import (
    CandidateSchool,
    Juror,
    JurySettings,
)


@transaction.atomic
def jury_settings_update(*, campaign: Campaign, actor: User, **fields: Any) -> JurySettings:
    """Record the campaign's jury rule and scheduling settings (the rule is checked like the solver's)."""
    from certeval.domain.juries import InstanceError, parse_instance

    settings, _created = JurySettings.objects.get_or_create(campaign=campaign)
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.full_clean()
    try:
        parse_instance(
            {
                "rule": {
                    "size": settings.size,
                    "groups": settings.groups,
                    "same_academy": settings.same_academy,
                },
                "halfday_slots": settings.halfday_slots,
                "candidates": [],
                "jurors": [],
            }
        )
    except InstanceError as exc:
        raise JuryError(_("Règle de composition invalide : %(error)s") % {"error": exc}) from exc
    settings.save()
    audit_record(
        actor=actor, action="juries.settings_update", target=campaign, data={"fields": sorted(fields)}
    )
    return settings


@transaction.atomic
def juror_add(
    *,
    campaign: Campaign,
    user: User,
    role: str,
    academy: Academy,
    halfdays: list[str],
    max_load: int,
    actor: User | None,
    conflict_schools: list[str] | None = None,
) -> Juror:
    """Put a person in the campaign's juror pool (and give them the juror role on the campaign)."""
    wrong = [h for h in halfdays if not is_halfday(h)]
    if wrong:
        raise JuryError(
            _("Demi-journées invalides : %(list)s (format AAAA-MM-JJ-am ou -pm).")
            % {"list": ", ".join(wrong)}
        )
    juror = Juror.objects.filter(campaign=campaign, user=user).first() or Juror(campaign=campaign, user=user)
    juror.role = role
    juror.academy = academy
    juror.halfdays = sorted(set(halfdays))
    juror.max_load = max_load
    juror.conflict_schools = [s.strip().upper() for s in conflict_schools or [] if s.strip()]
    juror.full_clean()  # before anything is written (the API answers 422 with each field's message)
    juror.save()
    campaign_role_grant(campaign=campaign, user=user, role=Role.JUROR, by=actor)
    audit_record(
        actor=actor, action="juries.juror_add", target=juror, data={"role": role, "halfdays": halfdays}
    )
    return juror


@transaction.atomic
def juror_invite(
    *,
    campaign: Campaign,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    academy: Academy,
    halfdays: list[str],
    max_load: int,
    conflict_enrolments: Iterable[Enrolment],
    conflict_schools: list[str],
    actor: User,
) -> Juror:
    """Add a person to the pool by e-mail: their account is created when new and they receive,
    as for any role granted on a campaign, the e-mail with the link to choose a password."""
    address = email.strip().lower()
    user = User.objects.filter(email=address).first()
    if user is not None and Juror.objects.filter(campaign=campaign, user=user).exists():
        raise JuryError(_("%(email)s est déjà dans le vivier de la campagne.") % {"email": address})
    if user is None or not campaign.roles.filter(user=user, role=Role.JUROR).exists():
        try:
            grant = campaign_role_grant_by_email(
                campaign=campaign,
                email=address,
                role=Role.JUROR,
                by=actor,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
            )
        except CampaignError as error:
            raise JuryError(str(error)) from error
        user = grant.user
    assert user is not None
    juror = juror_add(
        campaign=campaign,
        user=user,
        role=role,
        academy=academy,
        halfdays=halfdays,
        max_load=max_load,
        actor=actor,
        conflict_schools=conflict_schools,
    )
    _set_conflicts(juror, conflict_enrolments, actor)
    return juror


def _set_conflicts(juror: Juror, enrolments: Iterable[Enrolment], actor: User) -> None:
    chosen = list(enrolments)
    if any(e.campaign_id != juror.campaign_id for e in chosen):
        raise JuryError(_("Ce candidat n'est pas inscrit à la campagne du juré."))
    before = set(juror.conflict_enrolments.values_list("pk", flat=True))
    juror.conflict_enrolments.set(chosen)
    after = {e.pk for e in chosen}
    if before != after:
        audit_record(
            actor=actor,
            action="juries.conflicts",
            target=juror,
            data={"added": sorted(after - before), "removed": sorted(before - after)},
        )


@transaction.atomic
def juror_update(
    *,
    juror: Juror,
    role: str,
    academy: Academy,
    halfdays: list[str],
    max_load: int,
    conflict_enrolments: Iterable[Enrolment],
    conflict_schools: list[str],
    actor: User,
) -> Juror:
    """Change a juror of the pool; the next composition (and every hand edit, re-validated)
    uses the new quality, academy, availability, load and conflicts."""
    wrong = [h for h in halfdays if not is_halfday(h)]
    if wrong:
        raise JuryError(_("Demi-journées invalides : %(list)s.") % {"list": ", ".join(wrong)})
    before = {
        "role": juror.role,
        "academy": juror.academy.code,
        "halfdays": list(juror.halfdays),
        "max_load": juror.max_load,
        "conflict_schools": list(juror.conflict_schools),
    }
    juror.role = role
    juror.academy = academy
    juror.halfdays = sorted(set(halfdays))
    juror.max_load = max_load
    juror.conflict_schools = [s.strip().upper() for s in conflict_schools if s.strip()]
    juror.full_clean()
    juror.save()
    after = {
        "role": juror.role,
        "academy": academy.code,
        "halfdays": juror.halfdays,
        "max_load": juror.max_load,
        "conflict_schools": juror.conflict_schools,
    }
    changed = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
    audit_record(actor=actor, action="juries.juror_update", target=juror, data=changed)
    _set_conflicts(juror, conflict_enrolments, actor)
    return juror


@transaction.atomic
def juror_declare_conflict(*, juror: Juror, enrolment: Enrolment, actor: User) -> Juror:
    if enrolment.campaign_id != juror.campaign_id:
        raise JuryError(_("Ce candidat n'est pas inscrit à la campagne du juré."))
    juror.conflict_enrolments.add(enrolment)
    audit_record(
        actor=actor, action="juries.conflict_declare", target=juror, data={"enrolment": enrolment.pk}
    )
    return juror


@transaction.atomic
def candidate_school_set(*, enrolment: Enrolment, uai: str, name: str, actor: User | None) -> CandidateSchool:
    school, _created = CandidateSchool.objects.update_or_create(
        enrolment=enrolment, defaults={"uai": uai.strip().upper(), "name": name}
    )
    school.full_clean()
    audit_record(actor=actor, action="juries.candidate_school", target=enrolment, data={"uai": school.uai})
    return school
