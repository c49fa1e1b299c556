"""Writes of the title by blocs (seed 003, docs/certifications/titre.md): the blocs an enrolment
presents (chosen by the candidate, corrected by an organiser) and the person's bloc record,
written by the juries context when a deliberation is validated. Each write is atomic, locks its
rows and writes its audit row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns import hooks, permissions
from certeval.campaigns.models import Campaign, Enrolment, HeldBloc
from certeval.campaigns.services import ENROLLING_STATES, CampaignError
from certeval.campaigns.titre_selectors import bloc_labels, bloc_rule, held_dates


def checked_blocs(
    campaign: Campaign, candidate_id: int | None, blocs: Iterable[str], *, enrolment_id: int | None = None
) -> list[str]:
    """The blocs chosen for an enrolment, checked: at least one, each a bloc of the title, none
    already held (validated in another enrolment) unless the campaign lets candidates re-take a
    bloc. Raises :class:`CampaignError` with a French message."""
    found = bloc_rule(campaign)
    if found is None:
        raise CampaignError(_("Ce référentiel ne se passe pas par blocs de compétences."))
    framework, rule = found
    chosen = [str(b) for b in dict.fromkeys(blocs)]
    if not chosen:
        raise CampaignError(_("Choisissez au moins un bloc de compétences."))
    unknown = [b for b in chosen if b not in rule.blocks]
    if unknown:
        raise CampaignError(_("Bloc inconnu du référentiel : %(blocs)s.") % {"blocs": ", ".join(unknown)})
    code = campaign.framework_version.framework_id
    held = {} if candidate_id is None else held_dates(candidate_id, code, exclude_enrolment=enrolment_id)
    again = [b for b in chosen if b in held]
    if again and not campaign.allow_bloc_retake:
        labels = bloc_labels(framework)
        raise CampaignError(
            _(
                "Bloc déjà validé, il ne peut pas être présenté de nouveau dans cette campagne : %(blocs)s "
                "(validé le %(on)s)."
            )
            % {
                "blocs": ", ".join(labels.get(b, b) for b in again),
                "on": ", ".join(held[b].strftime("%d/%m/%Y") for b in again),
            }
        )
    return [b for b in rule.blocks if b in chosen]


def can_choose_blocs(user: User, enrolment: Enrolment) -> bool:
    """The candidate chooses their blocs while enrolments are open and their dossier is not
    frozen; an organiser in scope may correct the choice until the dossier is frozen."""
    if hooks.record_frozen(enrolment):
        return False
    if permissions.can_manage_enrolment(user, enrolment):
        return True
    return enrolment.candidate.user_id == user.pk and enrolment.campaign.state in ENROLLING_STATES


def enrolment_blocs_set(*, enrolment: Enrolment, blocs: Iterable[str], by: User) -> Enrolment:
    """Set the blocs an enrolment presents (the candidate's choice, or an organiser's correction)."""
    with transaction.atomic():
        locked = (
            Enrolment.objects.select_for_update().select_related("campaign", "candidate").get(pk=enrolment.pk)
        )
        if not can_choose_blocs(by, locked):
            raise CampaignError(
                _(
                    "Le choix des blocs n'est plus modifiable : le dossier est déposé ou les inscriptions sont closes."
                )
            )
        chosen = checked_blocs(locked.campaign, locked.candidate_id, blocs, enrolment_id=locked.pk)
        previous = list(locked.blocs or [])
        locked.blocs = chosen
        locked.save(update_fields=["blocs"])
        audit_record(
            actor=by,
            action="enrolment.blocs_set",
            target=locked,
            data={"blocs": chosen, "previous": previous},
        )
    return locked


def held_blocs_record(
    *, enrolment: Enrolment, validated: Mapping[str, date], deliberation_ref: int, by: User | None
) -> list[HeldBloc]:
    """Record the blocs a validated deliberation on ``enrolment`` validated (bloc → day). Called
    inside the deliberation's transaction by the juries context. The record of this enrolment is
    replaced (a new deliberation decides again); a bloc already held from another session keeps
    its first validation. Returns the rows written."""
    campaign = enrolment.campaign
    code = campaign.framework_version.framework_id
    with transaction.atomic():
        rows = HeldBloc.objects.select_for_update().filter(
            candidate_id=enrolment.candidate_id, framework_code=code
        )
        existing = {h.bloc: h for h in rows}
        removed = [b for b, h in existing.items() if h.enrolment_id == enrolment.pk and b not in validated]
        HeldBloc.objects.filter(
            candidate_id=enrolment.candidate_id, framework_code=code, enrolment=enrolment, bloc__in=removed
        ).delete()
        written = []
        for bloc, on in sorted(validated.items()):
            held = existing.get(bloc)
            if held is not None and held.enrolment_id != enrolment.pk:
                continue  # capitalised in an earlier session: its first validation stands
            if held is not None:
                held.validated_on = on
                held.deliberation_ref = deliberation_ref
                held.save(update_fields=["validated_on", "deliberation_ref"])
                written.append(held)
                continue
            written.append(
                HeldBloc.objects.create(
                    candidate_id=enrolment.candidate_id,
                    framework_code=code,
                    bloc=bloc,
                    validated_on=on,
                    campaign=campaign,
                    session=enrolment.session,
                    enrolment=enrolment,
                    deliberation_ref=deliberation_ref,
                )
            )
        audit_record(
            actor=by,
            action="enrolment.blocs_record",
            target=enrolment,
            data={
                "deliberation": deliberation_ref,
                "blocs": {h.bloc: h.validated_on.isoformat() for h in written},
                "removed": removed,
            },
        )
    return written
