from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certeval.accounts.roles import STAFF_ROLES, Role
from certeval.campaigns import inspe_mentions, prerequisites
from certeval.campaigns.deadlines import paris_instant
from certeval.campaigns.models import (
    Academy,
    Campaign,
    Enrolment,
    FinalPolicy,
    LearnerAccompaniment,
    PrerequisitePolicy,
    Session,
    TieRule,
)
from certeval.campaigns.titre_selectors import bloc_labels, bloc_rule
from certeval.core.dates import PARIS
from certeval.frameworks.labels import framework_title
from certeval.frameworks.selectors import latest_versions


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"


def paris_fields(prefix: str, label: str) -> dict[str, forms.Field]:
    return {
        f"{prefix}_date": forms.DateField(label=_("%(what)s — date") % {"what": label}, widget=DateInput()),
        f"{prefix}_time": forms.TimeField(
            label=_("%(what)s — heure (Paris)") % {"what": label}, widget=TimeInput(attrs={"step": 1})
        ),
    }


def academy_choices_by_region() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every academy by name, grouped under its région académique (the code is the value only)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for academy in Academy.objects.order_by("region", "name"):
        groups.setdefault(academy.region or str(_("Autres académies")), []).append(
            (academy.code, academy.name)
        )
    return list(groups.items())


class AcademiesByRegion(forms.CheckboxSelectMultiple):
    """Checkboxes of academies, one fieldset per région académique (its legend names it)."""

    template_name = "campaigns/widgets/academies_by_region.html"


class AcademyChoiceField(forms.ModelChoiceField):
    """An academy shown by its name and its région académique."""

    def label_from_instance(self, obj: Academy) -> str:
        return f"{obj.name} ({obj.region})" if obj.region else obj.name


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    framework_version = forms.TypedChoiceField(label=_("Référentiel (version publiée)"), coerce=int)
    deadline_date = forms.DateField(label=_("Date limite de dépôt — date"), widget=DateInput())
    deadline_time = forms.TimeField(
        label=_("Date limite de dépôt — heure (Paris)"),
        widget=TimeInput(attrs={"step": 1}),
        initial="23:59:59",
    )
    final_policy = forms.ChoiceField(label=_("Politique de décision finale"), choices=FinalPolicy.choices)
    tie_rule = forms.ChoiceField(label=_("Règle d'égalité à l'oral"), choices=TieRule.choices)
    oral_duration_minutes = forms.IntegerField(
        label=_("Durée de l'oral (minutes)"), min_value=5, max_value=240, initial=45
    )
    prerequisite_policy = forms.ChoiceField(
        label=_("Candidats qui ne remplissent pas un prérequis du référentiel"),
        choices=PrerequisitePolicy.choices,
        initial=PrerequisitePolicy.WARN,
    )
    mention_4_included = forms.BooleanField(
        label=_("Mention 4 proposée à l'inscription (référentiels à mentions : INSPÉ)"),
        required=False,
        initial=True,
        help_text=_("Décochez pour exclure la mention 4, comme l'expérimentation 2022-2023."),
    )
    reading_delay_days = forms.IntegerField(
        label=_("Délai de lecture des dossiers avant l'oral (jours)"),
        min_value=0,
        max_value=60,
        initial=7,
        help_text=_(
            "Aucun oral n'est placé moins de ce nombre de jours après le gel du dossier : les jurés "
            "lisent le dossier une à deux semaines avant l'épreuve. Les regroupements "
            "inter-académiques se gèrent sur leur propre page, depuis la campagne."
        ),
    )
    allow_bloc_retake = forms.BooleanField(
        label=_("Titre par blocs : permettre de repasser un bloc déjà validé"),
        required=False,
        help_text=_(
            "Par défaut, un bloc validé reste acquis et ne peut pas être choisi de nouveau à l'inscription."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "framework_version" in self.fields:
            cast(forms.ChoiceField, self.fields["framework_version"]).choices = [
                (v.pk, f"{framework_title(v.title)} — v{v.version_number}") for v in latest_versions()
            ]

    @property
    def deadline(self) -> datetime:
        return paris_instant(self.cleaned_data["deadline_date"], self.cleaned_data["deadline_time"])


class CampaignEditForm(CampaignForm):
    """The same settings as at creation, on an existing campaign (its référentiel stays)."""

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        deadline = timezone.localtime(campaign.deposit_deadline, PARIS)
        kwargs.setdefault(
            "initial",
            {
                "title": campaign.title,
                "deadline_date": deadline.date(),
                "deadline_time": deadline.time(),
                "final_policy": campaign.final_policy,
                "tie_rule": campaign.tie_rule,
                "oral_duration_minutes": campaign.oral_duration_minutes,
                "prerequisite_policy": campaign.prerequisite_policy,
                "mention_4_included": campaign.mention_4_included,
                "reading_delay_days": campaign.reading_delay_days,
                "allow_bloc_retake": campaign.allow_bloc_retake,
            },
        )
        super().__init__(*args, **kwargs)
        del self.fields["framework_version"]
        if not inspe_mentions.has_mentions(campaign):
            del self.fields["mention_4_included"]


class TransitionForm(forms.Form):
    """The optional comment written in the campaign's state-change log."""

    note = forms.CharField(label=_("Commentaire (journal)"), required=False, max_length=1000)
    # Shown, with the sentence to confirm as its label, when a guard asks for a confirmation.
    confirm = forms.BooleanField(required=False)


class SessionForm(forms.Form):
    label = forms.CharField(label=_("Intitulé"), max_length=200)
    start_date = forms.DateField(label=_("Début — date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Début — heure (Paris)"), widget=TimeInput())
    end_date = forms.DateField(label=_("Fin — date"), widget=DateInput())
    end_time = forms.TimeField(label=_("Fin — heure (Paris)"), widget=TimeInput())
    mode = forms.ChoiceField(label=_("Modalité"), choices=Session.Mode.choices)
    place = forms.CharField(label=_("Lieu ou lien de visio"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("Capacité"), min_value=1, max_value=2_147_483_647, initial=30)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(k) for k in ("start_date", "start_time", "end_date", "end_time")):
            data["starts_at"] = paris_instant(data["start_date"], data["start_time"])
            data["ends_at"] = paris_instant(data["end_date"], data["end_time"])
            if data["ends_at"] <= data["starts_at"]:
                raise forms.ValidationError(_("La fin de la session doit suivre son début."))
        return data


class EnrolmentForm(forms.Form):
    birth_name = forms.CharField(label=_("Nom de naissance"), max_length=150)
    usual_name = forms.CharField(label=_("Nom d'usage"), max_length=150, required=False)
    first_names = forms.CharField(label=_("Prénoms"), max_length=200)
    birth_date = forms.DateField(label=_("Date de naissance"), widget=DateInput())
    birth_place = forms.CharField(label=_("Lieu de naissance"), max_length=150, required=False)
    email = forms.EmailField(label=_("Adresse électronique"))
    academy = AcademyChoiceField(label=_("Académie"), queryset=Academy.objects.order_by("name"))
    school_level = forms.ChoiceField(label=_("Degré"), choices=Enrolment.SchoolLevel.choices)
    training = forms.ChoiceField(label=_("Formation"), choices=Enrolment.Training.choices)
    target_level = forms.ChoiceField(label=_("Niveau visé"), required=False)
    mention = forms.TypedChoiceField(
        label=_("Mention du master MEEF (formation initiale)"), required=False, coerce=int, empty_value=None
    )
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none(), required=False)
    extra_time_percent = forms.IntegerField(
        label=_("Temps majoré (%)"), min_value=0, max_value=100, initial=0
    )
    accessible_formats = forms.CharField(label=_("Formats accessibles"), max_length=300, required=False)
    other_needs = forms.CharField(
        label=_("Autres besoins"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    trainer_experience_years = forms.IntegerField(
        label=_("Expérience de formateur (années, 0 si moins d'un an)"),
        min_value=0,
        max_value=60,
        required=False,
    )
    trainer_experience = forms.CharField(
        label=_("Expérience de formateur : description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    trainer_experience_declared = forms.BooleanField(
        label=_("Le candidat déclare sur l'honneur cette expérience de formateur"), required=False
    )
    learner_accompaniment = forms.ChoiceField(
        label=_("Accompagnement des apprenants ciblés par la certification"),
        required=False,
        choices=[("", _("— Non précisé —")), *LearnerAccompaniment.choices],
    )
    automated_level = forms.ChoiceField(label=_("Volet automatisé : niveau obtenu"), required=False)
    automated_obtained_on = forms.DateField(
        label=_("Volet automatisé : obtenu le"), required=False, widget=DateInput()
    )
    blocs = forms.MultipleChoiceField(
        label=_("Blocs présentés"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Les blocs choisis par le candidat. Aucun coché : tous les blocs qu'il ne détient pas encore."
        ),
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        titre = bloc_rule(campaign)
        if titre is None:
            del self.fields["blocs"]
        else:
            cast(forms.MultipleChoiceField, self.fields["blocs"]).choices = list(
                bloc_labels(titre[0]).items()
            )
        cast(forms.ChoiceField, self.fields["target_level"]).choices = [
            ("", _("— Non précisé —")),
            *campaign.level_choices,
        ]
        cast(forms.ModelChoiceField, self.fields["session"]).queryset = campaign.sessions.all()
        if inspe_mentions.has_mentions(campaign):
            cast(forms.ChoiceField, self.fields["mention"]).choices = [
                ("", _("— Formation continue : sans mention —")),
                *inspe_mentions.mention_choices(campaign),
            ]
        else:
            del self.fields["mention"]
        cast(forms.ChoiceField, self.fields["automated_level"]).choices = [
            ("", _("— Aucun résultat —")),
            *campaign.level_choices,
        ]
        kinds = prerequisites.required_kinds(campaign.framework_version.document)
        if prerequisites.TRAINER_EXPERIENCE not in kinds:
            for name in TRAINER_FIELDS:
                del self.fields[name]
        else:
            self.fields["trainer_experience"].help_text = prerequisites.prerequisite_text(
                campaign.framework_version.document
            )
        if prerequisites.AUTOMATED_RESULT not in kinds:
            for name in AUTOMATED_FIELDS:
                del self.fields[name]


TRAINER_FIELDS = (
    "trainer_experience_years",
    "trainer_experience",
    "trainer_experience_declared",
    "learner_accompaniment",
)
AUTOMATED_FIELDS = ("automated_level", "automated_obtained_on")


class BlocChoiceForm(forms.Form):
    """The blocs an enrolment presents (title by blocs); the service checks the choice."""

    blocs = forms.MultipleChoiceField(label=_("Blocs présentés"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["blocs"]).choices = choices
        self.fields["blocs"].error_messages["required"] = _("Choisissez au moins un bloc de compétences.")


class TrainerExperienceForm(forms.Form):
    """The Facilitateur's prerequisite, declared by the candidate (or their organiser)."""

    years = forms.IntegerField(
        label=_("Années d'expérience en tant que formateur (0 si moins d'un an)"),
        min_value=0,
        max_value=60,
        required=False,
    )
    description = forms.CharField(
        label=_("Votre expérience de formateur"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Publics accompagnés, structures, durées, nature des interventions."),
    )
    declared = forms.BooleanField(
        label=_("Je déclare sur l'honneur l'exactitude de cette expérience de formateur"), required=False
    )
    accompaniment = forms.ChoiceField(
        label=_("Les apprenants ciblés par la certification"),
        widget=forms.RadioSelect,
        choices=[
            ("accompanied", _("J'ai déjà accompagné des apprenants ciblés par cette certification")),
            (
                "planned",
                _("J'ai le projet professionnel d'accompagner des apprenants ciblés par cette certification"),
            ),
        ],
        error_messages={
            "required": _(
                "Indiquez si vous avez déjà accompagné des apprenants ciblés par la certification "
                "ou si vous avez le projet professionnel d'en accompagner."
            )
        },
    )
    attestation = forms.FileField(
        label=_("Attestation (facultative si vous cochez la déclaration sur l'honneur)"),
        required=False,
        help_text=_(
            "PDF, ODT, DOCX, PNG ou JPEG : attestation d'employeur, contrat, programme de formation."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("declared") and not data.get("attestation") and not self.has_attestation:
            raise forms.ValidationError(_("Cochez la déclaration sur l'honneur ou joignez une attestation."))
        return data

    def __init__(self, *args: Any, has_attestation: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.has_attestation = has_attestation


class RoleGrantForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"))
    first_name = forms.CharField(label=_("Prénom (si le compte est à créer)"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom (si le compte est à créer)"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Rôle"))
    academy = forms.ModelChoiceField(
        label=_("Académie (organisateurs : limite le rôle aux candidats de cette académie)"),
        queryset=Academy.objects.none(),
        required=False,
    )
    session = forms.ModelChoiceField(
        label=_("Session (surveillants : limite le rôle à cette session)"),
        queryset=Session.objects.none(),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        campaign: Campaign,
        academy_scopes: set[int] | None,
        **kwargs: Any,
    ) -> None:
        """``academy_scopes`` None: the granter may grant every role; otherwise only organiser
        roles limited to one of these academies."""
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["session"]).queryset = campaign.sessions.all()
        if academy_scopes is None:
            cast(forms.ChoiceField, self.fields["role"]).choices = [(r.value, r.label) for r in STAFF_ROLES]
            cast(forms.ModelChoiceField, self.fields["academy"]).queryset = Academy.objects.all()
        else:
            cast(forms.ChoiceField, self.fields["role"]).choices = [
                (Role.ORGANISER.value, Role.ORGANISER.label)
            ]
            cast(forms.ModelChoiceField, self.fields["academy"]).queryset = Academy.objects.filter(
                pk__in=academy_scopes
            )
            self.fields["academy"].required = True
            del self.fields["session"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if data.get("academy") and role != "organiser":
            self.add_error("academy", _("Seul un rôle d'organisateur se limite à une académie."))
        if data.get("session") and role != "invigilator":
            self.add_error("session", _("Seul un rôle de surveillant se limite à une session."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV ou XLSX"),
        help_text=_(
            "Colonnes : nom_naissance, nom_usage, prenoms, date_naissance, lieu_naissance, email, academie, "
            "degre, formation, niveau_vise, temps_majore, formats_accessibles, autres_besoins ; "
            "prérequis selon le référentiel : experience_formateur_annees, experience_formateur, "
            "declaration_honneur (oui/non), volet_auto_niveau, volet_auto_date."
        ),
    )


class EnrolmentEditForm(forms.Form):
    """Corrections of one enrolment and of its candidate's identity (the e-mail is the login: it stays)."""

    birth_name = forms.CharField(label=_("Nom de naissance"), max_length=150)
    usual_name = forms.CharField(label=_("Nom d'usage"), max_length=150, required=False)
    first_names = forms.CharField(label=_("Prénoms"), max_length=200)
    birth_date = forms.DateField(label=_("Date de naissance"), widget=DateInput())
    birth_place = forms.CharField(label=_("Lieu de naissance"), max_length=150, required=False)
    academy = AcademyChoiceField(label=_("Académie"), queryset=Academy.objects.none())
    status = forms.ChoiceField(label=_("Statut de l'inscription"), choices=Enrolment.Status.choices)
    status_reason = forms.CharField(
        label=_("Motif (obligatoire pour une élimination)"), max_length=200, required=False
    )
    extra_time_percent = forms.IntegerField(label=_("Temps majoré (%)"), min_value=0, max_value=100)
    accessible_formats = forms.CharField(label=_("Formats accessibles"), max_length=300, required=False)
    other_needs = forms.CharField(
        label=_("Autres besoins"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    session = forms.ModelChoiceField(
        label=_("Session"), queryset=Session.objects.none(), required=False, empty_label=_("— Aucune —")
    )

    def __init__(self, *args: Any, enrolment: Enrolment, academies: Any, **kwargs: Any) -> None:
        candidate = enrolment.candidate
        kwargs.setdefault(
            "initial",
            {
                **{name: getattr(candidate, name) for name in IDENTITY_FORM_FIELDS},
                **{name: getattr(enrolment, name) for name in ENROLMENT_FORM_FIELDS},
            },
        )
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["academy"]).queryset = Academy.objects.filter(
            Q(pk__in=academies.values("pk")) | Q(pk=enrolment.academy_id)
        ).order_by("name")
        cast(forms.ModelChoiceField, self.fields["session"]).queryset = enrolment.campaign.sessions.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Enrolment.Status.ELIMINATED and not data.get("status_reason", "").strip():
            self.add_error("status_reason", _("Une élimination demande un motif."))
        return data


IDENTITY_FORM_FIELDS = ("birth_name", "usual_name", "first_names", "birth_date", "birth_place")
ENROLMENT_FORM_FIELDS = (
    "academy",
    "status",
    "status_reason",
    "extra_time_percent",
    "accessible_formats",
    "other_needs",
    "session",
)


class BulkSessionForm(forms.Form):
    """Candidates ticked in the campaign's list, and the session they go to."""

    enrolments = forms.TypedMultipleChoiceField(
        label=_("Candidats"),
        coerce=int,
        error_messages={"required": _("Choisissez au moins un candidat.")},
    )
    session = forms.ModelChoiceField(
        label=_("Session pour les candidats cochés"), queryset=Session.objects.none()
    )

    def __init__(self, *args: Any, campaign: Campaign, enrolment_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["enrolments"]).choices = [(pk, str(pk)) for pk in enrolment_ids]
        cast(forms.ModelChoiceField, self.fields["session"]).queryset = campaign.sessions.all()


class SessionAssignForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none())

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["session"]).queryset = campaign.sessions.all()


class RoleRevokeForm(forms.Form):
    grant = forms.TypedChoiceField(label=_("Rôle à retirer"), coerce=int)

    def __init__(self, *args: Any, grants: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["grant"]).choices = [
            (g.pk, f"{g.user.email} — {g.get_role_display()}") for g in grants
        ]
