"""Writes of the composition: the solver's run and its stored juries and oral slots, hand edits re-checked by the domain's validator, visio links, group presidents."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
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
from certeval.campaigns.models import Campaign, CampaignState, Enrolment, Regroupement, ReviewerAssignment
from certeval.campaigns.services import campaign_role_grant, reviewer_assign
from certeval.campaigns.titre_selectors import oral_base_minutes
from certeval.core.dates import paris_text
from certeval.domain.juries import (
    INFEASIBLE,
    UNKNOWN,
    Assignment,
    Solution,
    check_assignment,
    solve,
)
from certeval.dossiers.models import DossierState
from certeval.juries import selectors
from certeval.juries.errors import JuryError
from certeval.juries.explain import halfday_date, violation_fr
from certeval.juries.models import (
    CompositionRun,
    Deliberation,
    GridScore,
    Juror,
    Jury,
    JuryGroup,
    JuryMember,
    JurySettings,
    OralSlot,
)
from certeval.juries.regroup_composition import (
    Part,
    crossing_violations,
    explain_part,
    group_for,
    merge,
    regroupements_by_academy,
    split,
)


@dataclass(frozen=True)
class CompositionResult:
    """What the composition produced: the run, the solver's answer, the stored juries, and the
    French explanation when no schedule exists."""

    run: CompositionRun
    solution: Solution
    juries: list[Jury]
    explanation: list[dict[str, str]]
    warning: str = ""

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
    if result.warning:
        data["warning_fr"] = result.warning
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


def late_deposit_warning(campaign: Campaign) -> str:
    """While the deposit is still open, the composition only places the candidates whose dossier is
    already deposited: the French warning, with the count of those still depositing ("" otherwise)."""
    if campaign.state not in (CampaignState.DRAFT, CampaignState.OPEN):
        return ""
    pending = Enrolment.objects.filter(
        campaign=campaign, status=Enrolment.Status.ENROLLED, dossier__state=DossierState.DRAFT
    ).count()
    return _(
        "Le dépôt des dossiers est encore ouvert (jusqu'au %(deadline)s) : seuls les candidats dont le "
        "dossier est déjà déposé sont placés dans un jury. Les candidats qui déposeront ensuite "
        "(%(pending)s dossier(s) en cours de dépôt) ne seront pas placés : composez à nouveau après la "
        "clôture du dépôt."
    ) % {"deadline": paris_text(campaign.deposit_deadline), "pending": pending}


def oral_minutes(enrolment: Enrolment, campaign: Campaign) -> int:
    """The candidate's oral: the campaign's duration — for a title by blocs, the length of the oral
    épreuves of the blocs the candidate presents (and of the final interview when taken) —
    lengthened by their extra time (rounded up)."""
    base = (
        oral_base_minutes(enrolment)
        if enrolment.campaign_id == campaign.pk
        else campaign.oral_duration_minutes
    )
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
    """Scoring or deliberation has begun in a composed jury (the teachers' evaluations of an
    INSPÉ's students do not count: their jury is never recomposed)."""
    composed = {"slot__jury__campaign": campaign, "slot__jury__kind": Jury.Kind.COMPOSED}
    return GridScore.objects.filter(**composed).exists() or Deliberation.objects.filter(**composed).exists()


def _sync_reviewers(campaign: Campaign, actor: User | None, former: frozenset[int] = frozenset()) -> None:
    """Jurors and presidents read exactly the dossiers of their juries' candidates (``former``:
    people who no longer preside, whose reading rights go)."""
    wanted: dict[tuple[int, int], str] = {}
    for slot in OralSlot.objects.filter(jury__campaign=campaign).select_related("jury__group"):
        for user_id in JuryMember.objects.filter(jury_id=slot.jury_id).values_list(
            "juror__user_id", flat=True
        ):
            wanted[(slot.enrolment_id, user_id)] = Role.JUROR
        if slot.jury.group.president_id is not None:
            wanted.setdefault((slot.enrolment_id, slot.jury.group.president_id), Role.PRESIDENT)
    staff = set(Juror.objects.filter(campaign=campaign).values_list("user_id", flat=True)) | set(former)
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


def _store(
    campaign: Campaign, solution: Solution, data: selectors.CompositionInput, parts: list[Part]
) -> list[Jury]:
    OralSlot.objects.filter(jury__campaign=campaign, jury__kind=Jury.Kind.COMPOSED).delete()
    Jury.objects.filter(campaign=campaign, kind=Jury.Kind.COMPOSED).delete()
    home = {c.id: part.regroupement for part in parts for c in part.instance.candidates}
    teams: dict[tuple[str, tuple[str, ...]], list[Assignment]] = defaultdict(list)
    for assignment in solution.assignments:
        teams[(assignment.halfday, tuple(sorted(assignment.jurors)))].append(assignment)
    groups: dict[tuple[int | None, date], JuryGroup] = {}
    for (halfday, _members), orals in sorted(teams.items()):
        regroupement = home.get(orals[0].candidate)
        key = (getattr(regroupement, "pk", None), halfday_date(halfday))
        if key not in groups:
            groups[key] = group_for(campaign, regroupement, key[1])
    JuryGroup.objects.filter(campaign=campaign, juries__isnull=True, meetings__isnull=True).exclude(
        pk__in=[g.pk for g in groups.values()]
    ).delete()
    juries = []
    for number, ((halfday, member_keys), orals) in enumerate(sorted(teams.items()), start=1):
        regroupement = home.get(orals[0].candidate)
        group = groups[(getattr(regroupement, "pk", None), halfday_date(halfday))]
        jury = Jury.objects.create(campaign=campaign, group=group, number=number, halfday=halfday)
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
    parts = split(campaign, data.instance)
    answers = [solve(part.instance, time_limit=max(5.0, time_limit / len(parts))) for part in parts]
    solution = merge(answers)
    explanation = [
        explain_part(e, part, data, campaign, named=len(parts) > 1)
        for part, answer in zip(parts, answers, strict=True)
        if answer.status in (INFEASIBLE, UNKNOWN)
        for e in answer.explanation
    ]
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
            juries = _store(campaign, solution, data, parts)
            _sync_reviewers(campaign, actor)
        audit_record(
            actor=actor,
            action="juries.compose",
            target=campaign,
            message=solution.status,
            data={"run": run.pk, "juries": len(juries), "candidates": len(data.instance.candidates)},
        )
    return CompositionResult(
        run,
        solution,
        selectors.juries_of(campaign) if juries else [],
        explanation,
        warning=late_deposit_warning(campaign),
    )


def _current_assignments(campaign: Campaign) -> list[Assignment]:
    members: dict[int, list[str]] = defaultdict(list)
    for jury_id, juror_id in JuryMember.objects.filter(jury__campaign=campaign).values_list(
        "jury_id", "juror_id"
    ):
        members[jury_id].append(selectors.juror_key(juror_id))
    return [
        Assignment(selectors.candidate_key(enrolment_id), tuple(sorted(members[jury_id])), halfday, index)
        for enrolment_id, jury_id, halfday, index in OralSlot.objects.filter(
            jury__campaign=campaign, jury__kind=Jury.Kind.COMPOSED
        ).values_list("enrolment_id", "jury_id", "jury__halfday", "index")
    ]


def _lock_composition(campaign_id: int) -> None:
    """Lock the campaign's juries, members and orals (in primary-key order) for the rest of the
    transaction, so that two hand edits are checked one after the other (on SQLite, whose
    transactions are immediate, the first write lock already serialises them)."""
    list(Jury.objects.select_for_update().filter(campaign_id=campaign_id).order_by("pk"))
    list(JuryMember.objects.select_for_update().filter(jury__campaign_id=campaign_id).order_by("pk"))
    list(OralSlot.objects.select_for_update().filter(jury__campaign_id=campaign_id).order_by("pk"))


def _violations(*, campaign: Campaign, edited: list[Assignment]) -> list[str]:
    """The hard constraints the edited schedule breaks, in French (empty when it holds)."""
    data = selectors.composition_input(campaign)
    heard = {a.candidate for a in edited}
    instance = data.instance
    # Candidates who left the campaign since the composition are not asked for again.
    instance = type(instance)(
        instance.rule,
        instance.halfday_slots,
        tuple(c for c in instance.candidates if c.id in heard),
        instance.jurors,
        instance.earliest_date,
    )
    _regroupements, of_academy = regroupements_by_academy(campaign)
    regroupement_of = {key: of_academy.get(e.academy.code) for key, e in data.enrolments.items()}
    regroupement_of |= {key: of_academy.get(j.academy.code) for key, j in data.jurors.items()}
    # Only the orals the edit changes are checked against the regroupements (a schedule composed
    # before the regroupements were drawn stays editable).
    current = set(_current_assignments(campaign))
    changed = [a for a in edited if a not in current]
    return [violation_fr(v, data.names) for v in check_assignment(instance, edited)] + crossing_violations(
        changed, regroupement_of, data.names
    )


def _refuse(*, actor: User, action: str, target: Any, change: dict[str, Any], reasons: list[str]) -> None:
    """Log the refused edit (committed with the caller's transaction, which changes nothing else)."""
    audit_record(
        actor=actor, action=action, target=target, refused=True, message=" ".join(reasons), data=change
    )


def _refusal(reasons: list[str]) -> JuryError:
    return JuryError(_("Modification refusée : elle enfreint la règle de composition."), reasons)


def jury_member_swap(*, member: JuryMember, new_juror: Juror, actor: User) -> JuryMember:
    """Replace a jury member by another juror of the pool, if every constraint still holds.

    Checked and written in one transaction, after locking the campaign's composition: of two
    concurrent edits, the second is checked against the first one's result."""
    reasons: list[str] = []
    with transaction.atomic():
        _lock_composition(member.jury.campaign_id)
        member = JuryMember.objects.select_related("jury__campaign").get(pk=member.pk)
        jury = member.jury
        campaign = jury.campaign
        if new_juror.campaign_id != campaign.pk:
            raise JuryError(_("Ce juré n'appartient pas au vivier de la campagne."))
        if GridScore.objects.filter(slot__jury=jury, juror=member.juror).exists():
            raise JuryError(
                _("Ce juré a commencé à évaluer les candidats de ce jury : il ne peut plus être remplacé.")
            )
        old, new = selectors.juror_key(member.juror_id), selectors.juror_key(new_juror.pk)
        jury_candidates = {
            selectors.candidate_key(e) for e in jury.slots.values_list("enrolment_id", flat=True)
        }
        edited = [
            Assignment(
                a.candidate, tuple(sorted(new if j == old else j for j in a.jurors)), a.halfday, a.slot
            )
            if a.candidate in jury_candidates
            else a
            for a in _current_assignments(campaign)
        ]
        change = {"jury": jury.pk, "from": member.juror_id, "to": new_juror.pk}
        reasons = _violations(campaign=campaign, edited=edited)
        if reasons:
            _refuse(actor=actor, action="juries.member_swap", target=jury, change=change, reasons=reasons)
        else:
            member.juror = new_juror
            member.save(update_fields=["juror"])
            _sync_reviewers(campaign, actor)
            audit_record(actor=actor, action="juries.member_swap", target=jury, data=change)
    if reasons:
        raise _refusal(reasons)
    return member


def oral_slot_move(*, slot: OralSlot, jury: Jury, index: int, actor: User) -> OralSlot:
    """Move a candidate's oral to another jury and/or slot, if every constraint still holds.

    Checked and written in one transaction, after locking the campaign's composition."""
    reasons: list[str] = []
    with transaction.atomic():
        _lock_composition(slot.jury.campaign_id)
        slot = OralSlot.objects.select_related("jury__campaign", "enrolment").get(pk=slot.pk)
        jury = Jury.objects.get(pk=jury.pk)
        campaign = slot.jury.campaign
        if jury.campaign_id != campaign.pk:
            raise JuryError(_("Ce jury n'appartient pas à la campagne."))
        if slot.grid_scores.exists() or slot.deliberations.exists():
            raise JuryError(_("L'évaluation de ce candidat a commencé : son oral ne peut plus être déplacé."))
        if OralSlot.objects.filter(jury=jury, index=index).exclude(pk=slot.pk).exists():
            raise JuryError(_("Ce créneau est déjà occupé dans ce jury."))
        key = selectors.candidate_key(slot.enrolment_id)
        members = tuple(
            sorted(selectors.juror_key(j) for j in jury.members.values_list("juror_id", flat=True))
        )
        edited = [
            Assignment(key, members, jury.halfday, index) if a.candidate == key else a
            for a in _current_assignments(campaign)
        ]
        change = {"slot": slot.pk, "from": [slot.jury_id, slot.index], "to": [jury.pk, index]}
        reasons = _violations(campaign=campaign, edited=edited)
        if reasons:
            _refuse(
                actor=actor, action="juries.slot_move", target=slot.enrolment, change=change, reasons=reasons
            )
        else:
            settings = selectors.jury_settings_of(campaign)
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
    if reasons:
        raise _refusal(reasons)
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
    """Name the president of a group of juries outside any regroupement (a regroupement's groups
    are presided by the regroupement's president, chosen on the regroupement's page)."""
    if group.regroupement_id is not None:
        raise JuryError(
            _(
                "Ces jurys appartiennent au regroupement « %(name)s » : leur président est celui du "
                "regroupement, désigné sur la page des regroupements de la campagne."
            )
            % {"name": group.regroupement.name if group.regroupement else ""}
        )
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


def regroupement_presidents_sync(regroupement: Regroupement, actor: User) -> None:
    """Give the regroupement's groups of juries its president, and the dossiers of their candidates
    to read (``campaigns.hooks.REGROUPEMENT_SAVED``, inside the regroupement's transaction)."""
    groups = JuryGroup.objects.filter(regroupement=regroupement)
    presidents = set(groups.values_list("president_id", flat=True))
    if presidents and presidents != {regroupement.president_id}:
        groups.update(president_id=regroupement.president_id)
        former = frozenset(p for p in presidents if p is not None)
        _sync_reviewers(regroupement.campaign, actor, former)
