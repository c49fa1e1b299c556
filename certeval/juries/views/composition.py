"""Jury pages: a juror's juries, the campaign's composition and hand edits, a jury with its visio link and meetings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certeval.accounts.http import AuthenticatedHttpRequest
from certeval.accounts.models import User
from certeval.accounts.permissions import get_visible_or_404
from certeval.campaigns.models import Campaign, Regroupement
from certeval.campaigns.permissions import campaigns_run
from certeval.juries import permissions, selectors
from certeval.juries.errors import JuryError
from certeval.juries.explain import halfday_label, roles_label, run_status_label
from certeval.juries.forms import (
    MeetingForm,
    MoveForm,
    PresidentForm,
    SwapForm,
    VisioForm,
)
from certeval.juries.models import Jury, JuryGroup
from certeval.juries.regroup_selectors import regroupement_people
from certeval.juries.services.composition import (
    jury_compose_campaign,
    jury_group_set_president,
    jury_member_swap,
    jury_set_visio,
    late_deposit_warning,
    oral_slot_move,
)
from certeval.juries.views.common import _refused
from certeval.juries.views.regroup import record_meeting


@login_required
def my_juries(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A juror's orals, the juries a president leads, the campaigns an organiser composes."""
    slots = selectors.slots_of_user(request.user.pk)
    progress = selectors.scoring_progress_of_user(request.user.pk, slots)
    presided = list(
        permissions.juries_presided(request.user)
        .select_related("campaign", "group")
        .order_by("halfday", "number")
    )
    decided = selectors.decided_counts(presided)
    managed = list(campaigns_run(request.user).order_by("title"))
    pools = list(permissions.campaigns_of_juror(request.user).order_by("title"))
    return render(
        request,
        "juries/mine.html",
        {
            "slots": [(s, halfday_label(s.jury.halfday), *progress[s.pk]) for s in slots],
            "presided": [(j, halfday_label(j.halfday), *decided[j.pk]) for j in presided],
            "managed": managed,
            "pools": pools,
            "regroupements": list(
                Regroupement.objects.filter(president=request.user)
                .select_related("campaign")
                .order_by("name")
            ),
        },
    )


def _managed_campaign(request: AuthenticatedHttpRequest, campaign_id: int) -> Campaign:
    return get_visible_or_404(campaigns_run(request.user), pk=campaign_id)


@login_required
def campaign_juries(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed_campaign(request, campaign_id)
    juries = selectors.juries_of(campaign)
    run = selectors.latest_run(campaign)
    pool = list(campaign.jurors.select_related("user", "academy"))
    groups = list(JuryGroup.objects.filter(campaign=campaign).select_related("president", "regroupement"))
    settings = selectors.jury_settings_of(campaign)
    return render(
        request,
        "juries/campaign.html",
        {
            "campaign": campaign,
            "settings": settings,
            "rule_groups": [
                (roles_label(g["roles"]), g.get("min", 0), g.get("max") or settings.size)
                for g in settings.groups
            ],
            "run_status": run_status_label(run.status) if run else "",
            "run_gap_percent": (
                run.result["gap"] * 100 if run and run.result.get("gap") is not None else None
            ),
            "juries": [(j, halfday_label(j.halfday)) for j in juries],
            "run": run,
            "pool": pool,
            "groups": [(g, PresidentForm(campaign_id=campaign.pk, prefix=f"g{g.pk}")) for g in groups],
            "candidates": selectors.candidates_to_compose(campaign).count(),
            "late_deposit_warning": late_deposit_warning(campaign),
            "swap_form": SwapForm(campaign_id=campaign.pk),
            "move_form": MoveForm(campaign_id=campaign.pk),
            "crumbs": [(_("Mes jurys"), reverse("juries:mine")), (campaign.title, "")],
        },
    )


@login_required
@require_POST
def campaign_compose(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed_campaign(request, campaign_id)
    try:
        result = jury_compose_campaign(campaign=campaign, actor=request.user, time_limit=30)
    except JuryError as error:
        _refused(request, error)
    else:
        if result.ok:
            messages.success(
                request,
                _("%(n)s jurys composés pour %(c)s candidats.")
                % {"n": len(result.juries), "c": len(result.solution.assignments)},
            )
        else:
            messages.error(
                request, _("Aucune composition ne respecte toutes les contraintes : voir l'explication.")
            )
        if result.warning:
            messages.warning(request, result.warning)
    return redirect("juries:campaign", campaign.pk)


@login_required
@require_POST
def member_swap(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed_campaign(request, campaign_id)
    form = SwapForm(request.POST, campaign_id=campaign.pk)
    if form.is_valid():
        try:
            jury_member_swap(
                member=form.cleaned_data["member"], new_juror=form.cleaned_data["juror"], actor=request.user
            )
            messages.success(request, _("Membre remplacé."))
        except JuryError as error:
            _refused(request, error)
    else:
        messages.error(request, _("Choisissez un membre et un remplaçant."))
    return redirect("juries:campaign", campaign.pk)


@login_required
@require_POST
def slot_move(request: AuthenticatedHttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _managed_campaign(request, campaign_id)
    form = MoveForm(request.POST, campaign_id=campaign.pk)
    if form.is_valid():
        try:
            oral_slot_move(
                slot=form.cleaned_data["slot"],
                jury=form.cleaned_data["jury"],
                index=form.cleaned_data["index"],
                actor=request.user,
            )
            messages.success(request, _("Oral déplacé."))
        except JuryError as error:
            _refused(request, error)
    else:
        messages.error(request, _("Choisissez un oral, un jury et un créneau."))
    return redirect("juries:campaign", campaign.pk)


@login_required
@require_POST
def group_president(request: AuthenticatedHttpRequest, group_id: int) -> HttpResponse:
    group = get_visible_or_404(
        JuryGroup.objects.filter(campaign__in=campaigns_run(request.user)), pk=group_id
    )
    form = PresidentForm(request.POST, campaign_id=group.campaign_id, prefix=f"g{group.pk}")
    if form.is_valid():
        try:
            jury_group_set_president(
                group=group, president=form.cleaned_data["president"], actor=request.user
            )
        except JuryError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Président du groupe enregistré."))
    return redirect("juries:campaign", group.campaign_id)


def _meeting_people(jury: Jury) -> Any:
    if jury.group.regroupement is not None:
        return regroupement_people(jury.group.regroupement)
    return User.objects.filter(
        Q(juror_profiles__memberships__jury__group_id=jury.group_id) | Q(pk=jury.group.president_id)
    ).distinct()


@login_required
def jury_detail(request: AuthenticatedHttpRequest, jury_id: int) -> HttpResponse:
    get_visible_or_404(permissions.juries_visible(request.user), pk=jury_id)
    jury = selectors.jury_detail(jury_id)
    presides = permissions.can_harmonise(request.user, jury)
    manages = permissions.can_manage_juries(request.user, jury.campaign)
    meetings = selectors.meetings_of_jury(jury)
    return render(
        request,
        "juries/jury.html",
        {
            "jury": jury,
            "halfday": halfday_label(jury.halfday),
            "presides": presides,
            "manages": manages,
            "sits": any(m.juror.user_id == request.user.pk for m in jury.members.all()),
            "meetings": meetings,
            "meeting_form": MeetingForm(people=_meeting_people(jury)) if presides or manages else None,
            "visio_form": VisioForm(initial={"link": jury.visio_link}) if manages else None,
            "crumbs": [(_("Mes jurys"), reverse("juries:mine")), (str(jury), "")],
        },
    )


@login_required
@require_POST
def jury_visio(request: AuthenticatedHttpRequest, jury_id: int) -> HttpResponse:
    jury = get_visible_or_404(Jury.objects.filter(campaign__in=campaigns_run(request.user)), pk=jury_id)
    form = VisioForm(request.POST)
    if form.is_valid():
        jury_set_visio(jury=jury, link=form.cleaned_data["link"], actor=request.user)
        messages.success(request, _("Lien de visioconférence enregistré."))
    else:
        messages.error(request, _("Lien invalide."))
    return redirect("juries:jury", jury.pk)


@login_required
@require_POST
def meeting_create(request: AuthenticatedHttpRequest, jury_id: int) -> HttpResponse:
    jury = get_visible_or_404(
        permissions.juries_visible(request.user).select_related("group__regroupement"), pk=jury_id
    )
    if not (
        permissions.can_harmonise(request.user, jury)
        or permissions.can_manage_juries(request.user, jury.campaign)
    ):
        raise Http404("No such page.")
    record_meeting(
        request,
        MeetingForm(request.POST, people=_meeting_people(jury)),
        group=None if jury.group.regroupement_id else jury.group,
        regroupement=jury.group.regroupement,
    )
    return redirect("juries:jury", jury.pk)
