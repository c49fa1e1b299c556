"""Writes of juries. Each is atomic and writes its audit row; refusals raise ``JuryError`` with a
French message (and are logged as refused when they concern the composition or a decision)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from math import ceil
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.accounts.roles import Role
from certeval.audit.services import audit_record
from certeval.campaigns.models import Academy, Campaign, Enrolment, ReviewerAssignment
from certeval.campaigns.services import (
    CampaignError,
    campaign_role_grant,
    campaign_role_grant_by_email,
    reviewer_assign,
)
from certeval.domain.juries import INFEASIBLE, UNKNOWN, Assignment, Solution, check_assignment, solve
from certeval.domain.rules import RuleSet
from certeval.domain.rules.errors import CaseError
from certeval.domain.rules.final import BlockRule, CompetenceRule, JointRule
from certeval.juries import selectors
from certeval.juries.explain import explanation_fr, halfday_date, is_halfday, violation_fr
from certeval.juries.models import (
    AutomatedResult,
    CandidateSchool,
    CompositionRun,
    Deliberation,
    GridScore,
    Juror,
    JurorFeedback,
    Jury,
    JuryGroup,
    JuryMember,
    JuryQuestion,
    JurySettings,
    Meeting,
    OralSlot,
)
from certeval.juries.pdf import score_sheet_pdf


class JuryError(Exception):
    """A refused jury operation; the message is French and shown to the user."""

    def __init__(self, message: str, reasons: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.reasons = list(reasons)


# --- settings and pool ------------------------------------------------------------------------


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
    juror, _created = Juror.objects.update_or_create(
        campaign=campaign,
        user=user,
        defaults={
            "role": role,
            "academy": academy,
            "halfdays": sorted(set(halfdays)),
            "max_load": max_load,
            "conflict_schools": [s.strip().upper() for s in conflict_schools or [] if s.strip()],
        },
    )
    juror.full_clean()
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


@transaction.atomic
def automated_result_record(
    *, enrolment: Enrolment, level: str, obtained_on: date, actor: User | None, part: str = ""
) -> AutomatedResult:
    """Record the candidate's automated-part result used by the final decision; with ``part``
    (a part of ``rules.automated``, e.g. ``crcn-edu``), the level of that part only, kept beside
    the overall result, which must exist."""
    campaign = enrolment.campaign
    known = [level_id for level_id, _label in selectors.level_choices(campaign)]
    if level not in known:
        raise JuryError(_("Niveau inconnu : %(level)s.") % {"level": level})
    if obtained_on > timezone.localdate():
        raise JuryError(_("La date d'obtention ne peut pas être dans le futur."))
    if part:
        _framework, rules = selectors.framework_of(campaign.framework_version)
        parts = rules.automated.parts if rules.automated is not None else {}
        if part not in parts:
            raise JuryError(
                _("Partie inconnue : %(part)s (attendu : %(list)s).")
                % {"part": part, "list": ", ".join(parts) or _("aucune")}
            )
        result = AutomatedResult.objects.select_for_update().filter(enrolment=enrolment).first()
        if result is None:
            raise JuryError(_("Enregistrez d'abord le niveau global du volet automatisé."))
        result.parts = {**result.parts, part: {"level": level, "obtained_on": obtained_on.isoformat()}}
        result.save(update_fields=["parts"])
    else:
        result, _created = AutomatedResult.objects.update_or_create(
            enrolment=enrolment, defaults={"level": level, "obtained_on": obtained_on}
        )
    audit_record(
        actor=actor,
        action="juries.automated_result",
        target=enrolment,
        data={"level": level, "obtained_on": obtained_on.isoformat(), "part": part or None},
    )
    return result


GLOBAL_PARTS = ("", "global", "volet")


def _csv_date(value: str) -> date:
    for parse in (date.fromisoformat, lambda v: datetime.strptime(v, "%d/%m/%Y").date()):
        try:
            return parse(value)
        except ValueError:
            continue
    raise ValueError(value)


def automated_results_import(*, campaign: Campaign, text: str, actor: User) -> int:
    """Import automated results from CSV (header ``email`` or ``candidat``, ``partie``, ``niveau``,
    ``obtenu_le``; ``;`` or ``,``; UTF-8 with or without BOM). All or nothing: any faulty row
    refuses the file with one French reason per row. Overall rows are recorded before part rows."""
    import csv
    import io

    text = text.lstrip("\ufeff")
    first = text.splitlines()[0] if text.strip() else ""
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if first.count(";") >= first.count(",") else ",")
    fields = {(name or "").strip().lower() for name in reader.fieldnames or ()}
    if not {"niveau", "obtenu_le"} <= fields or not fields & {"email", "candidat"}:
        raise JuryError(_("En-tête attendu : email ou candidat ; partie ; niveau ; obtenu_le."))
    enrolments = Enrolment.objects.filter(campaign=campaign).select_related("candidate")
    by_email = {e.candidate.email.lower(): e for e in enrolments}
    by_id = {str(e.pk): e for e in enrolments}
    rows: list[tuple[int, Enrolment, str, str, date]] = []
    errors: list[str] = []
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        enrolment = by_email.get(row.get("email", "").lower()) or by_id.get(row.get("candidat", ""))
        if enrolment is None:
            errors.append(_("Ligne %(n)s : candidat introuvable dans la campagne.") % {"n": number})
            continue
        try:
            obtained_on = _csv_date(row.get("obtenu_le", ""))
        except ValueError:
            errors.append(_("Ligne %(n)s : date invalide.") % {"n": number})
            continue
        part = row.get("partie", "").lower()
        rows.append(
            (number, enrolment, "" if part in GLOBAL_PARTS else part, row.get("niveau", ""), obtained_on)
        )
    if errors:
        raise JuryError(_("Import refusé."), errors)
    with transaction.atomic():
        for number, enrolment, part, level, obtained_on in sorted(rows, key=lambda r: (r[2] != "", r[0])):
            try:
                automated_result_record(
                    enrolment=enrolment, level=level, obtained_on=obtained_on, actor=actor, part=part
                )
            except JuryError as error:
                errors.append(_("Ligne %(n)s : %(error)s") % {"n": number, "error": error})
        if errors:
            raise JuryError(_("Import refusé."), errors)
        audit_record(actor=actor, action="juries.automated_import", target=campaign, data={"rows": len(rows)})
    return len(rows)


# --- composition -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompositionResult:
    """What the composition produced: the run, the solver's answer, the stored juries, and the
    French explanation when no schedule exists."""

    run: CompositionRun
    solution: Solution
    juries: list[Jury]
    explanation: list[dict[str, str]]

    @property
    def ok(self) -> bool:
        return self.solution.status not in (INFEASIBLE, UNKNOWN)


def composition_to_dict(result: CompositionResult) -> dict[str, Any]:
    """The JSON form of a composition (``certeval juries compose --json``)."""
    data: dict[str, Any] = {
        "campaign": result.run.campaign_id,
        "run": result.run.pk,
        **result.solution.to_dict(),
    }
    if not result.ok:
        data["explanation_fr"] = result.explanation
        return data
    data["juries"] = [
        {
            "number": jury.number,
            "group": jury.group.name,
            "halfday": jury.halfday,
            "members": [
                {"juror": m.juror_id, "name": m.juror.display_name, "role": m.juror.role, "jury_role": m.role}
                for m in jury.members.all()
            ],
            "orals": [
                {
                    "enrolment": s.enrolment_id,
                    "candidate": s.enrolment.candidate.display_name,
                    "slot": s.index,
                    "starts_at": timezone.localtime(s.starts_at).isoformat(),
                }
                for s in jury.slots.all()
            ],
        }
        for jury in result.juries
    ]
    return data


def oral_minutes(enrolment: Enrolment, campaign: Campaign) -> int:
    """The candidate's oral: the campaign's duration, lengthened by their extra time (rounded up)."""
    base = campaign.oral_duration_minutes
    return base + ceil(base * enrolment.extra_time_percent / 100)


def slot_starts(
    halfday: str, durations: Mapping[int, int], settings: JurySettings, default_minutes: int
) -> dict[int, datetime]:
    """Start of each occupied slot (index → start) of a jury's half-day: orals follow each other in
    slot order, each lasting its candidate's duration (``durations``; a free slot lasts the
    campaign's oral duration), with the buffer after each."""
    start: time = settings.morning_start if halfday.endswith("-am") else settings.afternoon_start
    if isinstance(start, str):
        start = time.fromisoformat(start)
    clock = timezone.make_aware(datetime.combine(halfday_date(halfday), start))
    starts = {}
    for index in range(1, max(durations, default=0) + 1):
        if index in durations:
            starts[index] = clock
        clock += timedelta(minutes=durations.get(index, default_minutes) + settings.buffer_minutes)
    return starts


def _reschedule(jury: Jury, settings: JurySettings) -> None:
    """Recompute the start times of a jury's orals from their durations."""
    slots = {s.index: s for s in jury.slots.all()}
    starts = slot_starts(
        jury.halfday,
        {index: s.duration_minutes for index, s in slots.items()},
        settings,
        jury.campaign.oral_duration_minutes,
    )
    for index, slot in slots.items():
        if slot.starts_at != starts[index]:
            slot.starts_at = starts[index]
            slot.save(update_fields=["starts_at"])


def _member_roles(members: list[Juror], settings: JurySettings) -> dict[int, str]:
    """President: a member of the first role group (DRANE, inspector, head of school for Pix+ Édu);
    note-taker: the last member; the others question."""

    def order(juror: Juror) -> tuple[int, str, int]:
        index = next(
            (i for i, g in enumerate(settings.groups) if juror.role in g["roles"]), len(settings.groups)
        )
        return (index, juror.role, juror.pk)

    ranked = sorted(members, key=order)
    roles = {j.pk: JuryMember.Role.QUESTIONER.value for j in ranked}
    roles[ranked[0].pk] = JuryMember.Role.PRESIDENT
    if len(ranked) > 1:
        roles[ranked[-1].pk] = JuryMember.Role.NOTE_TAKER
    return roles


def _started(campaign: Campaign) -> bool:
    return (
        GridScore.objects.filter(slot__jury__campaign=campaign).exists()
        or Deliberation.objects.filter(slot__jury__campaign=campaign).exists()
    )


def _sync_reviewers(campaign: Campaign, actor: User | None) -> None:
    """Jurors and presidents read exactly the dossiers of their juries' candidates."""
    wanted: dict[tuple[int, int], str] = {}
    for slot in OralSlot.objects.filter(jury__campaign=campaign).select_related("jury__group"):
        for user_id in JuryMember.objects.filter(jury_id=slot.jury_id).values_list(
            "juror__user_id", flat=True
        ):
            wanted[(slot.enrolment_id, user_id)] = Role.JUROR
        if slot.jury.group.president_id is not None:
            wanted.setdefault((slot.enrolment_id, slot.jury.group.president_id), Role.PRESIDENT)
    staff = set(Juror.objects.filter(campaign=campaign).values_list("user_id", flat=True))
    staff |= set(
        JuryGroup.objects.filter(campaign=campaign, president__isnull=False).values_list(
            "president_id", flat=True
        )
    )
    existing = ReviewerAssignment.objects.filter(enrolment__campaign=campaign, user_id__in=staff)
    for assignment in existing:
        if (assignment.enrolment_id, assignment.user_id) not in wanted:
            audit_record(
                actor=actor,
                action="enrolment.reviewer_unassign",
                target=assignment.enrolment,
                data={"user": assignment.user_id},
            )
            assignment.delete()
    have = {(a.enrolment_id, a.user_id): a.role for a in existing.all()}
    users = {u.pk: u for u in User.objects.filter(pk__in={user_id for _e, user_id in wanted})}
    enrolments = {e.pk: e for e in Enrolment.objects.filter(pk__in={e for e, _u in wanted})}
    for (enrolment_id, user_id), role in wanted.items():
        if have.get((enrolment_id, user_id)) != role:
            reviewer_assign(
                enrolment=enrolments[enrolment_id], user=users[user_id], role=Role(role), by=actor
            )


def _store(campaign: Campaign, solution: Solution, data: selectors.CompositionInput) -> list[Jury]:
    OralSlot.objects.filter(jury__campaign=campaign).delete()
    Jury.objects.filter(campaign=campaign).delete()
    teams: dict[tuple[str, tuple[str, ...]], list[Assignment]] = defaultdict(list)
    for assignment in solution.assignments:
        teams[(assignment.halfday, tuple(sorted(assignment.jurors)))].append(assignment)
    groups: dict[date, JuryGroup] = {}
    for day in sorted({halfday_date(halfday) for halfday, _members in teams}):
        name = _("Jurys du %(day)s") % {"day": f"{day:%d/%m/%Y}"}
        groups[day], _created = JuryGroup.objects.get_or_create(campaign=campaign, name=name)
    JuryGroup.objects.filter(campaign=campaign, juries__isnull=True, meetings__isnull=True).exclude(
        pk__in=[g.pk for g in groups.values()]
    ).delete()
    juries = []
    for number, ((halfday, member_keys), orals) in enumerate(sorted(teams.items()), start=1):
        jury = Jury.objects.create(
            campaign=campaign, group=groups[halfday_date(halfday)], number=number, halfday=halfday
        )
        members = [data.jurors[key] for key in member_keys]
        roles = _member_roles(members, data.settings)
        JuryMember.objects.bulk_create(JuryMember(jury=jury, juror=j, role=roles[j.pk]) for j in members)
        durations = {a.slot: oral_minutes(data.enrolments[a.candidate], campaign) for a in orals}
        starts = slot_starts(halfday, durations, data.settings, campaign.oral_duration_minutes)
        OralSlot.objects.bulk_create(
            OralSlot(
                jury=jury,
                enrolment=data.enrolments[a.candidate],
                index=a.slot,
                starts_at=starts[a.slot],
                duration_minutes=durations[a.slot],
            )
            for a in sorted(orals, key=lambda a: a.slot)
        )
        juries.append(jury)
    return juries


def jury_compose_campaign(
    *, campaign: Campaign, actor: User | None, time_limit: float = 60.0
) -> CompositionResult:
    """Compose the campaign's juries and schedule the orals with the solver, then store them.

    Refused once scoring has begun. When no schedule exists, nothing changes and the result
    carries the French explanation of the blocking constraints.
    """
    if _started(campaign):
        raise JuryError(
            _("L'évaluation a commencé : les jurys ne peuvent plus être recomposés automatiquement.")
        )
    data = selectors.composition_input(campaign)
    if not data.instance.candidates:
        raise JuryError(_("Aucun candidat avec un dossier déposé à répartir."))
    solution = solve(data.instance, time_limit=time_limit)
    explanation = [explanation_fr(e, data.names) for e in solution.explanation]
    with transaction.atomic():
        run = CompositionRun.objects.create(
            campaign=campaign,
            by=actor if actor is not None and actor.is_authenticated else None,
            status=solution.status,
            method=solution.method,
            result={**solution.to_dict(), "explanation_fr": explanation},
        )
        juries: list[Jury] = []
        if solution.status not in (INFEASIBLE, UNKNOWN):
            juries = _store(campaign, solution, data)
            _sync_reviewers(campaign, actor)
        audit_record(
            actor=actor,
            action="juries.compose",
            target=campaign,
            message=solution.status,
            data={"run": run.pk, "juries": len(juries), "candidates": len(data.instance.candidates)},
        )
    return CompositionResult(run, solution, selectors.juries_of(campaign) if juries else [], explanation)


# --- hand edits ------------------------------------------------------------------------------


def _current_assignments(campaign: Campaign) -> list[Assignment]:
    members: dict[int, list[str]] = defaultdict(list)
    for jury_id, juror_id in JuryMember.objects.filter(jury__campaign=campaign).values_list(
        "jury_id", "juror_id"
    ):
        members[jury_id].append(selectors.juror_key(juror_id))
    return [
        Assignment(selectors.candidate_key(enrolment_id), tuple(sorted(members[jury_id])), halfday, index)
        for enrolment_id, jury_id, halfday, index in OralSlot.objects.filter(
            jury__campaign=campaign
        ).values_list("enrolment_id", "jury_id", "jury__halfday", "index")
    ]


def _validate_edit(
    *,
    campaign: Campaign,
    actor: User,
    target: Any,
    action: str,
    change: dict[str, Any],
    edited: list[Assignment],
) -> None:
    """Refuse (and log the refusal) when the edited schedule breaks a hard constraint."""
    data = selectors.composition_input(campaign)
    heard = {a.candidate for a in edited}
    instance = data.instance
    # Candidates who left the campaign since the composition are not asked for again.
    instance = type(instance)(
        instance.rule,
        instance.halfday_slots,
        tuple(c for c in instance.candidates if c.id in heard),
        instance.jurors,
    )
    violations = check_assignment(instance, edited)
    if violations:
        reasons = [violation_fr(v, data.names) for v in violations]
        with transaction.atomic():  # the refusal is recorded even though the edit is not made
            audit_record(
                actor=actor, action=action, target=target, refused=True, message=" ".join(reasons), data=change
            )
        raise JuryError(_("Modification refusée : elle enfreint la règle de composition."), reasons)


def jury_member_swap(*, member: JuryMember, new_juror: Juror, actor: User) -> JuryMember:
    """Replace a jury member by another juror of the pool, if every constraint still holds."""
    jury = member.jury
    campaign = jury.campaign
    if new_juror.campaign_id != campaign.pk:
        raise JuryError(_("Ce juré n'appartient pas au vivier de la campagne."))
    if GridScore.objects.filter(slot__jury=jury, juror=member.juror).exists():
        raise JuryError(
            _("Ce juré a commencé à évaluer les candidats de ce jury : il ne peut plus être remplacé.")
        )
    old, new = selectors.juror_key(member.juror_id), selectors.juror_key(new_juror.pk)
    jury_candidates = {selectors.candidate_key(e) for e in jury.slots.values_list("enrolment_id", flat=True)}
    edited = [
        Assignment(a.candidate, tuple(sorted(new if j == old else j for j in a.jurors)), a.halfday, a.slot)
        if a.candidate in jury_candidates
        else a
        for a in _current_assignments(campaign)
    ]
    change = {"jury": jury.pk, "from": member.juror_id, "to": new_juror.pk}
    _validate_edit(
        campaign=campaign, actor=actor, target=jury, action="juries.member_swap", change=change, edited=edited
    )
    with transaction.atomic():
        member.juror = new_juror
        member.save(update_fields=["juror"])
        _sync_reviewers(campaign, actor)
        audit_record(actor=actor, action="juries.member_swap", target=jury, data=change)
    return member


def oral_slot_move(*, slot: OralSlot, jury: Jury, index: int, actor: User) -> OralSlot:
    """Move a candidate's oral to another jury and/or slot, if every constraint still holds."""
    campaign = slot.jury.campaign
    if jury.campaign_id != campaign.pk:
        raise JuryError(_("Ce jury n'appartient pas à la campagne."))
    if slot.grid_scores.exists() or slot.deliberations.exists():
        raise JuryError(_("L'évaluation de ce candidat a commencé : son oral ne peut plus être déplacé."))
    if OralSlot.objects.filter(jury=jury, index=index).exclude(pk=slot.pk).exists():
        raise JuryError(_("Ce créneau est déjà occupé dans ce jury."))
    key = selectors.candidate_key(slot.enrolment_id)
    members = tuple(sorted(selectors.juror_key(j) for j in jury.members.values_list("juror_id", flat=True)))
    edited = [
        Assignment(key, members, jury.halfday, index) if a.candidate == key else a
        for a in _current_assignments(campaign)
    ]
    change = {"slot": slot.pk, "from": [slot.jury_id, slot.index], "to": [jury.pk, index]}
    _validate_edit(
        campaign=campaign,
        actor=actor,
        target=slot.enrolment,
        action="juries.slot_move",
        change=change,
        edited=edited,
    )
    settings = selectors.jury_settings_of(campaign)
    with transaction.atomic():
        previous = slot.jury
        slot.jury = jury
        slot.index = index
        slot.save(update_fields=["jury", "index"])
        _reschedule(previous, settings)
        if jury.pk != previous.pk:
            _reschedule(jury, settings)
        slot.refresh_from_db(fields=["starts_at"])
        _sync_reviewers(campaign, actor)
        audit_record(actor=actor, action="juries.slot_move", target=slot.enrolment, data=change)
    return slot


@transaction.atomic
def jury_set_visio(*, jury: Jury, link: str, actor: User) -> Jury:
    """Set the jury's visio link, and each of its orals' link where none was set."""
    jury.visio_link = link
    jury.full_clean()
    jury.save(update_fields=["visio_link"])
    jury.slots.filter(visio_link="").update(visio_link=link)
    audit_record(actor=actor, action="juries.visio", target=jury, data={"link": link})
    return jury


@transaction.atomic
def jury_group_set_president(*, group: JuryGroup, president: User | None, actor: User) -> JuryGroup:
    group.president = president
    group.save(update_fields=["president"])
    if president is not None:
        campaign_role_grant(campaign=group.campaign, user=president, role=Role.PRESIDENT, by=actor)
    _sync_reviewers(group.campaign, actor)
    audit_record(
        actor=actor,
        action="juries.group_president",
        target=group,
        data={"president": getattr(president, "pk", None)},
    )
    return group


# --- meetings ----------------------------------------------------------------------------------


@transaction.atomic
def meeting_record(
    *, group: JuryGroup, kind: str, held_at: datetime, attendees: Iterable[User], minutes: str, actor: User
) -> Meeting:
    meeting = Meeting(group=group, kind=kind, held_at=held_at, minutes=minutes, recorded_by=actor)
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(list(attendees))
    audit_record(
        actor=actor, action="juries.meeting", target=group, data={"meeting": meeting.pk, "kind": kind}
    )
    return meeting


# --- independent scoring ------------------------------------------------------------------------


def _grid_of(campaign: Campaign) -> tuple[Any, Any, Any]:
    framework, rules = selectors.framework_of(campaign.framework_version)
    return framework, rules, selectors.dossier_grid(framework, rules)


def _check_scoring(slot: OralSlot, juror: Juror) -> None:
    if not JuryMember.objects.filter(jury_id=slot.jury_id, juror=juror).exists():
        raise JuryError(_("Vous ne siégez pas dans le jury de ce candidat."))
    settings = selectors.jury_settings_of(slot.jury.campaign)
    if not selectors.scoring_open(slot.jury, settings):
        raise JuryError(_("L'évaluation s'ouvre après la réunion de cadrage de votre groupe de jurys."))


def grid_score_save(
    *,
    slot: OralSlot,
    juror: Juror,
    levels: Mapping[str, str] | None = None,
    comments: Mapping[str, str] | None = None,
) -> GridScore:
    """Save what the juror has typed so far (any subset of criteria and items)."""
    _check_scoring(slot, juror)
    framework, _rules, grid = _grid_of(slot.jury.campaign)
    criteria = {c.id for phase in grid.phases for item in phase.items for c in item.criteria}
    items = {item.id for phase in grid.phases for item in phase.items}
    allowed = {level.id for level in framework.levels} | {GridScore.NON_OBSERVABLE, ""}
    levels = dict(levels or {})
    comments = dict(comments or {})
    if not set(levels) <= criteria or not set(comments) <= items:
        raise JuryError(_("Critère ou item inconnu de la grille."))
    if not set(levels.values()) <= allowed:
        raise JuryError(_("Niveau inconnu."))
    with transaction.atomic():
        score, _created = GridScore.objects.select_for_update().get_or_create(slot=slot, juror=juror)
        if score.submitted_at is not None:
            raise JuryError(_("Votre évaluation est transmise : elle ne peut plus être modifiée."))
        for criterion, level in levels.items():
            if level:
                score.levels[criterion] = level
            else:
                score.levels.pop(criterion, None)
        for item, text in comments.items():
            if text.strip():
                score.comments[item] = text
            else:
                score.comments.pop(item, None)
        score.save()
    return score


def grid_score_submit(*, slot: OralSlot, juror: Juror, actor: User) -> GridScore:
    """Close the juror's evaluation: every criterion must have a level or be « non observable »."""
    _check_scoring(slot, juror)
    _framework, _rules, grid = _grid_of(slot.jury.campaign)
    with transaction.atomic():
        score, _created = GridScore.objects.select_for_update().get_or_create(slot=slot, juror=juror)
        if score.submitted_at is not None:
            return score
        missing = [
            c.id
            for phase in grid.phases
            for item in phase.items
            for c in item.criteria
            if not score.levels.get(c.id)
        ]
        if missing:
            raise JuryError(
                _("Critères sans niveau : %(list)s. Choisissez un niveau ou « non observable ».")
                % {"list": ", ".join(missing)}
            )
        score.submitted_at = timezone.now()
        score.save(update_fields=["submitted_at", "updated_at"])
        audit_record(
            actor=actor, action="juries.score_submit", target=slot.enrolment, data={"juror": juror.pk}
        )
    return score


# --- harmonisation and decision -------------------------------------------------------------------


def decision_kind(rules: RuleSet) -> str:
    """``joint_level`` (Pix+ Édu, INSPÉ), ``competences`` or ``blocks``: the kind of ``rules.final``."""
    if isinstance(rules.final, CompetenceRule):
        return "competences"
    if isinstance(rules.final, BlockRule):
        return "blocks"
    return "joint_level"


def verdicts_case(rules: RuleSet, verdicts: Mapping[str, Any], on: date) -> dict[str, Any]:
    """The issue 3 case of a competence or bloc decision, from the jury's recorded validations."""
    if isinstance(rules.final, CompetenceRule):
        return {"component": "final", "competences": dict(verdicts.get("competences", {}))}
    return {
        "component": "final",
        "blocks": dict(verdicts.get("blocks", {})),
        "final_interview": verdicts.get("final_interview"),
        "on": on.isoformat(),
    }


def _check_verdicts(rules: RuleSet, verdicts: Mapping[str, Any]) -> None:
    """Refuse, in French, validations the rules would not read: unknown competences or blocs, a
    validated bloc without a valid date, or a date in the future."""
    if isinstance(rules.final, CompetenceRule):
        marks = verdicts.get("competences", {})
        if set(verdicts) - {"competences"} or not set(marks) <= set(rules.final.competences):
            raise JuryError(_("Compétence inconnue du référentiel."))
        if not all(isinstance(v, bool) for v in marks.values()):
            raise JuryError(_("Chaque compétence est validée ou non validée."))
        return
    if not isinstance(rules.final, BlockRule):
        if verdicts:
            raise JuryError(_("Ce référentiel ne se décide ni par compétences ni par blocs."))
        return
    blocks = verdicts.get("blocks", {})
    if set(verdicts) - {"blocks", "final_interview"} or not set(blocks) <= set(rules.final.blocks):
        raise JuryError(_("Bloc inconnu du référentiel."))
    if verdicts.get("final_interview") not in (True, False, None):
        raise JuryError(_("L'entretien final est réussi, non réussi ou non passé."))
    today = timezone.localdate()
    for block, status in blocks.items():
        if not status.get("validated"):
            continue
        try:
            on = date.fromisoformat(status.get("on") or "")
        except ValueError:
            raise JuryError(
                _("Indiquez la date de validation du bloc %(block)s.") % {"block": block}
            ) from None
        if on > today:
            raise JuryError(
                _("La date de validation du bloc %(block)s est dans le futur.") % {"block": block}
            )


def evaluate_deliberation(
    *,
    slot: OralSlot,
    consensus: Mapping[str, str | None],
    oral_levels: Mapping[str, str | None],
    on: date,
    verdicts: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Levels and French reasons from issue 3's rules: the dossier grid, the oral score sheet, the
    practice level (campaign setting) and the final decision — joint level (campaign policy,
    automated result), every competence validated, or every bloc held and the final interview passed."""
    campaign = slot.jury.campaign
    _framework, rules = selectors.framework_of(campaign.framework_version)
    result: dict[str, Any] = {"kind": decision_kind(rules)}
    dossier = oral = None
    if rules.dossier is not None:
        dossier = rules.dossier.evaluate({k: v for k, v in consensus.items() if v})
        result["dossier"] = {"level": dossier.level, "reasons": list(dossier.reasons)}
    if rules.oral is not None:
        oral = rules.oral.evaluate({k: v for k, v in oral_levels.items() if v})
        result["oral"] = {"level": oral.level, "reasons": list(oral.reasons)}
    if isinstance(rules.final, CompetenceRule | BlockRule):
        try:
            final = rules.evaluate(verdicts_case(rules, verdicts or {}, on))
        except CaseError as error:
            raise JuryError(_("Validations incohérentes : %(error)s") % {"error": error}) from error
        result["final"] = {
            "level": None,
            "outcome": final.outcome,
            "reasons": list(final.reasons),
            "details": dict(final.details),
        }
        return result
    settings = selectors.jury_settings_of(campaign)
    ladder = rules.ladder
    sheet_level = oral.level if oral is not None else None
    dossier_level = dossier.level if dossier is not None else None
    if settings.practice_source == JurySettings.PracticeSource.LOWER:
        practice = ladder.lower(sheet_level, dossier_level) if sheet_level and dossier_level else None
        why = _("le plus bas des niveaux du dossier et du bordereau")
    else:
        practice = sheet_level
        why = _("le niveau du bordereau d'entretien")
    shown = ladder.label(practice) if practice else _("aucun niveau")
    result["practice"] = {
        "level": practice,
        "reasons": [
            _("Niveau de pratique professionnelle (réglage de la campagne : %(why)s) : %(level)s")
            % {"why": why, "level": shown}
        ],
    }
    automated = AutomatedResult.objects.filter(enrolment_id=slot.enrolment_id).first()
    result["automated"] = (
        None
        if automated is None
        else {"level": automated.level, "obtained_on": automated.obtained_on.isoformat()}
    )
    if not isinstance(rules.final, JointRule):
        result["final"] = {"level": practice, "outcome": None, "reasons": result["practice"]["reasons"]}
        return result
    policy = (
        campaign.final_policy if campaign.final_policy in rules.final.policies else rules.final.default_policy
    )
    final = rules.final.evaluate(
        policy,
        on,
        None if automated is None else automated.level,
        None if automated is None else automated.obtained_on,
        practice,
    )
    result["final"] = {"level": final.level, "outcome": final.outcome, "reasons": list(final.reasons)}
    return result


def _check_president(slot: OralSlot, actor: User) -> None:
    from certeval.juries.permissions import can_harmonise

    if not can_harmonise(actor, slot.jury):
        raise JuryError(_("Seul le président du jury harmonise et valide les décisions."))


def deliberation_save(
    *,
    slot: OralSlot,
    actor: User,
    consensus: Mapping[str, str | None],
    item_comments: Mapping[str, str],
    oral_levels: Mapping[str, str | None],
    oral_comments: Mapping[str, str],
    verdicts: Mapping[str, Any] | None = None,
    verdict_comments: Mapping[str, str] | None = None,
) -> Deliberation:
    """Record the jury's consensus grid, oral score sheet and — for competence or bloc
    référentiels — its validations (``verdicts``: ``{"competences": {id: bool}}`` or
    ``{"blocks": {id: {"validated": bool, "on": "YYYY-MM-DD"}}, "final_interview": bool | None}``)
    as a draft, and compute the levels and the decision."""
    _check_president(slot, actor)
    framework, rules, grid = _grid_of(slot.jury.campaign)
    criteria = {c.id for phase in grid.phases for item in phase.items for c in item.criteria}
    sheet = selectors.oral_sheet(framework, rules)
    domains = set(sheet.domains) if sheet is not None else set()
    levels = {level.id for level in framework.levels}
    if not set(consensus) <= criteria or not set(oral_levels) <= domains:
        raise JuryError(_("Critère ou domaine inconnu."))
    if not {v for v in [*consensus.values(), *oral_levels.values()] if v} <= levels:
        raise JuryError(_("Niveau inconnu."))
    _check_verdicts(rules, verdicts or {})
    with transaction.atomic():
        draft = slot.deliberations.select_for_update().filter(state=Deliberation.State.DRAFT).first()
        if draft is None:
            if slot.deliberations.filter(state=Deliberation.State.VALIDATED).exists():
                raise JuryError(
                    _("La décision est validée : ouvrez une nouvelle délibération motivée pour la modifier.")
                )
            draft = Deliberation(slot=slot, number=1, created_by=actor)
        draft.consensus = {k: v for k, v in consensus.items() if v}
        draft.item_comments = {k: v for k, v in item_comments.items() if v.strip()}
        draft.oral_levels = {k: v for k, v in oral_levels.items() if v}
        draft.oral_comments = {k: v for k, v in oral_comments.items() if v.strip()}
        draft.verdicts = dict(verdicts or {})
        draft.verdict_comments = {k: v for k, v in (verdict_comments or {}).items() if v.strip()}
        draft.evaluation = evaluate_deliberation(
            slot=slot,
            consensus=draft.consensus,
            oral_levels=draft.oral_levels,
            on=timezone.localdate(),
            verdicts=draft.verdicts,
        )
        draft.final_level = draft.evaluation["final"]["level"] or ""
        draft.outcome = draft.evaluation["final"]["outcome"] or ""
        draft.full_clean(exclude=["slot", "created_by"])
        draft.save()
        audit_record(
            actor=actor,
            action="juries.deliberation_save",
            target=slot.enrolment,
            data={"deliberation": draft.number, "final_level": draft.final_level, "outcome": draft.outcome},
        )
    return draft


def deliberation_validate(*, slot: OralSlot, actor: User) -> Deliberation:
    """The president validates the draft: the decision is recorded (who, when) and frozen."""
    _check_president(slot, actor)
    with transaction.atomic():
        draft = slot.deliberations.select_for_update().filter(state=Deliberation.State.DRAFT).first()
        if draft is None:
            raise JuryError(_("Aucune délibération en cours pour ce candidat."))
        draft.evaluation = evaluate_deliberation(
            slot=slot,
            consensus=draft.consensus,
            oral_levels=draft.oral_levels,
            on=timezone.localdate(),
            verdicts=draft.verdicts,
        )
        draft.final_level = draft.evaluation["final"]["level"] or ""
        draft.outcome = draft.evaluation["final"]["outcome"] or ""
        draft.state = Deliberation.State.VALIDATED
        draft.validated_by = actor
        draft.validated_at = timezone.now()
        draft.save()
        audit_record(
            actor=actor,
            action="juries.decision",
            target=slot.enrolment,
            message=" ".join(draft.evaluation["final"]["reasons"]),
            data={
                "deliberation": draft.number,
                "final_level": draft.final_level,
                "outcome": draft.outcome,
                "practice_level": (draft.evaluation.get("practice") or {}).get("level"),
                "verdicts": draft.verdicts,
            },
        )
    return draft


def deliberation_reopen(*, slot: OralSlot, actor: User, reason: str) -> Deliberation:
    """Open a new deliberation on a validated decision, starting from it; the reason is logged."""
    _check_president(slot, actor)
    if not reason.strip():
        raise JuryError(_("Indiquez le motif de la nouvelle délibération."))
    with transaction.atomic():
        previous = slot.deliberations.select_for_update().order_by("-number").first()
        if previous is None or previous.state != Deliberation.State.VALIDATED:
            raise JuryError(_("Il n'y a pas de décision validée à reprendre."))
        draft = Deliberation.objects.create(
            slot=slot,
            number=previous.number + 1,
            consensus=previous.consensus,
            item_comments=previous.item_comments,
            oral_levels=previous.oral_levels,
            oral_comments=previous.oral_comments,
            verdicts=previous.verdicts,
            verdict_comments=previous.verdict_comments,
            evaluation=previous.evaluation,
            final_level=previous.final_level,
            outcome=previous.outcome,
            change_reason=reason.strip(),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="juries.deliberation_reopen",
            target=slot.enrolment,
            message=reason.strip(),
            data={"deliberation": draft.number, "previous": previous.number},
        )
    return draft


def score_sheet_candidate_read(*, slot: OralSlot, by: User) -> bytes:
    """The bordereau of the slot's validated decision, as sent to the candidate; the download is audited."""
    deliberation = selectors.validated_deliberation(slot)
    if deliberation is None:
        raise JuryError(_("Aucune décision validée pour ce candidat."))
    with transaction.atomic():
        audit_record(
            actor=by,
            action="juries.score_sheet_download",
            target=slot.enrolment,
            data={"deliberation": deliberation.number},
        )
    return score_sheet_pdf(slot=slot, deliberation=deliberation)


# --- question bank and feedback ---------------------------------------------------------------------


@transaction.atomic
def jury_question_add(*, campaign: Campaign, domain: str, text: str, actor: User) -> JuryQuestion:
    framework, _rules = selectors.framework_of(campaign.framework_version)
    if domain not in {d.id for d in framework.domains}:
        raise JuryError(_("Domaine inconnu."))
    if not text.strip():
        raise JuryError(_("La question est vide."))
    question = JuryQuestion.objects.create(campaign=campaign, domain=domain, text=text.strip(), author=actor)
    audit_record(actor=actor, action="juries.question_add", target=question, data={"domain": domain})
    return question


@transaction.atomic
def juror_feedback_submit(
    *, juror: Juror, answers: Mapping[str, int], comment: str, actor: User
) -> JurorFeedback:
    if JurorFeedback.objects.filter(juror=juror).exists():
        raise JuryError(_("Vous avez déjà répondu au questionnaire."))
    feedback = JurorFeedback(
        juror=juror, comment=comment.strip(), **{t: answers[t] for t in JurorFeedback.TOPICS}
    )
    feedback.full_clean()
    feedback.save()
    audit_record(actor=actor, action="juries.feedback", target=juror, data=dict(answers))
    return feedback
