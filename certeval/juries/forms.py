"""Forms of the jury pages. The scoring and harmonisation grids are read by ``grid_post``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from certeval.accounts.models import User
from certeval.domain.framework import ScoringGrid
from certeval.juries.models import Juror, JurorFeedback, Jury, JuryMember, Meeting, OralSlot


def grid_post(data: QueryDict, grid: ScoringGrid) -> tuple[dict[str, str], dict[str, str]]:
    """``(levels, comments)`` posted by a grid page: ``level-<criterion>`` and ``comment-<item>``
    fields; only the fields present in the request are returned (autosave sends the whole form)."""
    levels = {}
    comments = {}
    for phase in grid.phases:
        for item in phase.items:
            if f"comment-{item.id}" in data:
                comments[item.id] = data[f"comment-{item.id}"]
            for criterion in item.criteria:
                if f"level-{criterion.id}" in data:
                    levels[criterion.id] = data[f"level-{criterion.id}"]
    return levels, comments


def sheet_post(data: QueryDict, domains: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """``(levels, comments)`` of the oral score sheet: ``oral-<domain>`` and ``oralcomment-<domain>``."""
    levels = {d: data.get(f"oral-{d}", "") for d in domains}
    comments = {d: data.get(f"oralcomment-{d}", "") for d in domains}
    return levels, comments


VALIDATED = "validated"
NOT_VALIDATED = "not_validated"
PASSED = "passed"
FAILED = "failed"


def _choice(value: str, yes: str, no: str) -> bool | None:
    return {yes: True, no: False}.get(value)


def verdict_post(data: QueryDict, kind: str, ids: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, str]]:
    """``(verdicts, comments)`` of a competence or bloc decision: ``verdict-<id>`` (validated,
    not_validated or empty = not evaluated), ``verdicton-<bloc>`` (date), ``verdictcomment-<id>``,
    and for blocs ``final_interview`` (passed, failed or empty = not taken)."""
    comments = {i: data.get(f"verdictcomment-{i}", "") for i in ids}
    marks = {i: _choice(data.get(f"verdict-{i}", ""), VALIDATED, NOT_VALIDATED) for i in ids}
    if kind == "competences":
        return {"competences": {i: v for i, v in marks.items() if v is not None}}, comments
    blocks = {
        i: {"validated": bool(v), "on": data.get(f"verdicton-{i}", "").strip() or None}
        for i, v in marks.items()
        if v is not None
    }
    comments["final_interview"] = data.get("verdictcomment-final_interview", "")
    interview = _choice(data.get("final_interview", ""), PASSED, FAILED)
    return {"blocks": blocks, "final_interview": interview}, comments


class SwapForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Membre à remplacer"), queryset=JuryMember.objects.none())
    juror = forms.ModelChoiceField(label=_("Remplaçant"), queryset=Juror.objects.none())

    def __init__(self, *args: Any, campaign_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = JuryMember.objects.filter(
            jury__campaign_id=campaign_id
        ).select_related("jury", "juror__user")
        self.fields["member"].label_from_instance = lambda m: f"{m.jury} — {m.juror.display_name}"
        self.fields["juror"].queryset = Juror.objects.filter(campaign_id=campaign_id).select_related("user")


class MoveForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("Oral à déplacer"), queryset=OralSlot.objects.none())
    jury = forms.ModelChoiceField(label=_("Jury"), queryset=Jury.objects.none())
    index = forms.IntegerField(label=_("Créneau"), min_value=1, max_value=50)

    def __init__(self, *args: Any, campaign_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = OralSlot.objects.filter(jury__campaign_id=campaign_id).select_related(
            "jury", "enrolment__candidate"
        )
        self.fields["slot"].label_from_instance = lambda s: (
            f"{s.enrolment.candidate.display_name} — {s.jury} n° {s.index}"
        )
        self.fields["jury"].queryset = Jury.objects.filter(campaign_id=campaign_id)


class VisioForm(forms.Form):
    link = forms.URLField(label=_("Lien de visioconférence"), max_length=500, assume_scheme="https")


class PresidentForm(forms.Form):
    president = forms.ModelChoiceField(label=_("Président du groupe"), queryset=User.objects.none())

    def __init__(self, *args: Any, campaign_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["president"].queryset = User.objects.filter(
            juror_profiles__campaign_id=campaign_id
        ) | User.objects.filter(campaign_roles__campaign_id=campaign_id, campaign_roles__role="president")
        self.fields["president"].queryset = self.fields["president"].queryset.distinct()
        self.fields["president"].label_from_instance = lambda u: u.get_full_name() or u.email


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Réunion"), choices=Meeting.Kind.choices)
    held_at = forms.DateTimeField(
        label=_("Date et heure"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Participants"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.CharField(
        label=_("Compte rendu"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people
        self.fields["attendees"].label_from_instance = lambda u: u.get_full_name() or u.email


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la nouvelle délibération"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class QuestionForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domaine"))
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, domains: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = domains


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = JurorFeedback
        fields = ["dossiers", "traces", "analyses", "organisation", "comment"]
        widgets = {
            "dossiers": forms.RadioSelect,
            "traces": forms.RadioSelect,
            "analyses": forms.RadioSelect,
            "organisation": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 4}),
        }
