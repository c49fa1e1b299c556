"""Forms of the jury pages. The scoring and harmonisation grids are read by ``grid_post``."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certeval.accounts.models import User
from certeval.campaigns.models import Academy, Campaign, Enrolment
from certeval.domain.framework import ScoringGrid
from certeval.juries.explain import halfday_label
from certeval.juries.models import (
    Juror,
    JurorFeedback,
    JurorRole,
    Jury,
    JuryMember,
    JurySettings,
    Meeting,
    OralSlot,
)


def grid_post(data: QueryDict, grid: ScoringGrid) -> tuple[dict[str, str], dict[str, str]]:
    """``(levels, comments)`` posted by a grid page: ``level-<criterion>`` and ``comment-<item>``
    fields; only the fields present in the request are returned (autosave sends the whole form)."""
    levels: dict[str, str] = {}
    comments: dict[str, str] = {}
    for phase in grid.phases:
        for item in phase.items:
            if f"comment-{item.id}" in data:
                comments[item.id] = data.get(f"comment-{item.id}", "")
            for criterion in item.criteria:
                if f"level-{criterion.id}" in data:
                    levels[criterion.id] = data.get(f"level-{criterion.id}", "")
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


class MemberChoiceField(forms.ModelChoiceField):
    """A jury member shown by their jury and their name."""

    def label_from_instance(self, obj: JuryMember) -> str:
        return f"{obj.jury} — {obj.juror.display_name}"


class SlotChoiceField(forms.ModelChoiceField):
    """An oral shown by its candidate, its jury and its time."""

    def label_from_instance(self, obj: OralSlot) -> str:
        return _("%(candidate)s — %(jury)s, oral de %(time)s") % {
            "candidate": obj.enrolment.candidate.display_name,
            "jury": obj.jury,
            "time": timezone.localtime(obj.starts_at).strftime("%H:%M"),
        }


class PersonChoiceField(forms.ModelChoiceField):
    """A person shown by their full name (their e-mail when they have none)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.email


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """People shown by their full name (their e-mail when they have none)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.email


class CandidatesChoiceField(forms.ModelMultipleChoiceField):
    """Enrolments shown by their candidate's name."""

    def label_from_instance(self, obj: Enrolment) -> str:
        return obj.candidate.display_name


class SwapForm(forms.Form):
    member = MemberChoiceField(label=_("Membre à remplacer"), queryset=JuryMember.objects.none())
    juror = forms.ModelChoiceField(label=_("Remplaçant"), queryset=Juror.objects.none())

    def __init__(self, *args: Any, campaign_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["member"]).queryset = JuryMember.objects.filter(
            jury__campaign_id=campaign_id
        ).select_related("jury", "juror__user")
        cast(forms.ModelChoiceField, self.fields["juror"]).queryset = Juror.objects.filter(
            campaign_id=campaign_id
        ).select_related("user")


class MoveForm(forms.Form):
    slot = SlotChoiceField(label=_("Oral à déplacer"), queryset=OralSlot.objects.none())
    jury = forms.ModelChoiceField(label=_("Jury"), queryset=Jury.objects.none())
    index = forms.IntegerField(label=_("Créneau"), min_value=1, max_value=50)

    def __init__(self, *args: Any, campaign_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["slot"]).queryset = OralSlot.objects.filter(
            jury__campaign_id=campaign_id
        ).select_related("jury", "enrolment__candidate")
        cast(forms.ModelChoiceField, self.fields["jury"]).queryset = Jury.objects.filter(
            campaign_id=campaign_id
        )


class VisioForm(forms.Form):
    link = forms.URLField(label=_("Lien de visioconférence"), max_length=500, assume_scheme="https")


class PresidentForm(forms.Form):
    president = PersonChoiceField(label=_("Président du groupe"), queryset=User.objects.none())

    def __init__(self, *args: Any, campaign_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.filter(juror_profiles__campaign_id=campaign_id) | User.objects.filter(
            campaign_roles__campaign_id=campaign_id, campaign_roles__role="president"
        )
        cast(forms.ModelChoiceField, self.fields["president"]).queryset = people.distinct()


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Réunion"), choices=Meeting.Kind.choices)
    held_at = forms.DateTimeField(
        label=_("Date et heure"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    attendees = PeopleChoiceField(
        label=_("Participants"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.CharField(
        label=_("Compte rendu"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["attendees"]).queryset = people


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
        cast(forms.ChoiceField, self.fields["domain"]).choices = domains


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


def halfday_choices(campaign: Campaign, chosen: list[str]) -> list[tuple[str, str]]:
    """Half-days offered by the availability picker: mornings and afternoons of the working days
    of the six weeks after the deposit deadline (or today, if later), and those already chosen."""
    first = max(timezone.localdate(), timezone.localtime(campaign.deposit_deadline).date())
    days = [first + timedelta(days=n) for n in range(42)]
    offered = {f"{d:%Y-%m-%d}-{part}" for d in days if d.weekday() < 5 for part in ("am", "pm")}
    return [(h, halfday_label(h)) for h in sorted(offered | set(chosen))]


class JurorForm(forms.Form):
    """A juror of the pool: the person (by e-mail, on adding), their quality, academy,
    availability, load and declared conflicts of interest."""

    email = forms.EmailField(label=_("Adresse électronique"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Qualité"), choices=JurorRole.choices)
    academy = forms.ModelChoiceField(label=_("Académie"), queryset=Academy.objects.order_by("name"))
    halfdays = forms.MultipleChoiceField(
        label=_("Demi-journées disponibles"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "halfday-picker"}),
        help_text=_("Cochez chaque matinée ou après-midi où le juré peut siéger."),
    )
    max_load = forms.IntegerField(
        label=_("Nombre maximal de candidats"), min_value=1, max_value=200, initial=12
    )
    conflict_enrolments = CandidatesChoiceField(
        label=_("Conflits d'intérêts déclarés : candidats"),
        queryset=Enrolment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    conflict_schools = forms.CharField(
        label=_("Conflits d'intérêts déclarés : établissements (UAI)"),
        required=False,
        help_text=_("Codes UAI séparés par des virgules, par exemple 0750001A, 0691234B."),
    )

    def __init__(self, *args: Any, campaign: Campaign, juror: Juror | None = None, **kwargs: Any) -> None:
        if juror is not None:
            kwargs.setdefault(
                "initial",
                {
                    "email": juror.user.email,
                    "role": juror.role,
                    "academy": juror.academy,
                    "halfdays": juror.halfdays,
                    "max_load": juror.max_load,
                    "conflict_enrolments": list(juror.conflict_enrolments.all()),
                    "conflict_schools": ", ".join(juror.conflict_schools),
                },
            )
        super().__init__(*args, **kwargs)
        if juror is not None:
            for name in ("email", "first_name", "last_name"):
                del self.fields[name]
        cast(forms.ChoiceField, self.fields["halfdays"]).choices = halfday_choices(
            campaign, juror.halfdays if juror else []
        )
        cast(forms.ModelChoiceField, self.fields["conflict_enrolments"]).queryset = Enrolment.objects.filter(
            campaign=campaign
        ).select_related("candidate")

    def clean_conflict_schools(self) -> list[str]:
        codes = [c.strip().upper() for c in self.cleaned_data["conflict_schools"].split(",") if c.strip()]
        wrong = [c for c in codes if not re.fullmatch(r"\d{7}[A-Z]", c)]
        if wrong:
            raise forms.ValidationError(
                _("UAI invalides : %(list)s (7 chiffres et une lettre).") % {"list": ", ".join(wrong)}
            )
        return codes


class RuleForm(forms.Form):
    """The campaign's composition rule: size, up to four role groups, inter-academic juries."""

    GROUPS = 4

    size = forms.IntegerField(label=_("Membres par jury"), min_value=1, max_value=9)
    same_academy = forms.BooleanField(
        label=_("Jurés de l'académie du candidat admis"),
        required=False,
        help_text=_("Décoché : jurys interacadémiques, aucun juré de l'académie du candidat."),
    )
    halfday_slots = forms.IntegerField(
        label=_("Oraux par demi-journée et par jury"), min_value=1, max_value=20
    )
    buffer_minutes = forms.IntegerField(
        label=_("Battement entre deux oraux (minutes)"), min_value=0, max_value=120
    )

    def __init__(self, *args: Any, settings: JurySettings, **kwargs: Any) -> None:
        initial: dict[str, Any] = {
            "size": settings.size,
            "same_academy": settings.same_academy,
            "halfday_slots": settings.halfday_slots,
            "buffer_minutes": settings.buffer_minutes,
        }
        for index in range(self.GROUPS):
            group = settings.groups[index] if index < len(settings.groups) else {}
            initial |= {
                f"roles_{index}": group.get("roles", []),
                f"min_{index}": group.get("min"),
                f"max_{index}": group.get("max"),
            }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for index in range(self.GROUPS):
            number = index + 1
            self.fields[f"roles_{index}"] = forms.MultipleChoiceField(
                label=_("Groupe %(n)s : qualités") % {"n": number},
                choices=JurorRole.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"min_{index}"] = forms.IntegerField(
                label=_("Groupe %(n)s : au moins") % {"n": number}, min_value=0, max_value=9, required=False
            )
            self.fields[f"max_{index}"] = forms.IntegerField(
                label=_("Groupe %(n)s : au plus") % {"n": number},
                min_value=0,
                max_value=9,
                required=False,
                help_text=_("Vide : autant que de membres."),
            )

    def group_fields(self) -> list[list[forms.BoundField]]:
        return [[self[f"{name}_{i}"] for name in ("roles", "min", "max")] for i in range(self.GROUPS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        size = data.get("size")
        if size is None:
            return data
        groups: list[dict[str, Any]] = []
        seen: set[str] = set()
        for index in range(self.GROUPS):
            roles = data.get(f"roles_{index}") or []
            low, high = data.get(f"min_{index}"), data.get(f"max_{index}")
            if not roles:
                if low or high:
                    self.add_error(f"roles_{index}", _("Choisissez au moins une qualité pour ce groupe."))
                continue
            if seen & set(roles):
                self.add_error(f"roles_{index}", _("Une qualité n'appartient qu'à un seul groupe."))
            seen |= set(roles)
            low = low or 0
            high = size if high is None else high
            if high < low:
                self.add_error(f"max_{index}", _("Le maximum est inférieur au minimum."))
            if high > size:
                self.add_error(f"max_{index}", _("Le maximum dépasse le nombre de membres du jury."))
            groups.append({"roles": list(roles), "min": low, "max": high})
        if sum(g["min"] for g in groups) > size:
            raise forms.ValidationError(
                _("Les minimums des groupes dépassent le nombre de membres du jury (%(size)s).")
                % {"size": size}
            )
        data["groups"] = groups
        return data
