"""Juries of a campaign: the juror pool, the composed juries and their oral slots, meetings,
independent scoring, harmonisation (deliberations) and the jurors' feedback.

A validated deliberation never changes: a new, logged deliberation supersedes it
(``ValidatedDeliberationError`` otherwise), as a frozen dossier never changes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

PIX_EDU_GROUPS: list[dict[str, Any]] = [
    {"roles": ["drane", "inspecteur", "direction"], "min": 1},
    {"roles": ["expert"], "min": 1, "max": 2},
]


def default_groups() -> list[dict[str, Any]]:
    """The Pix+ Édu rule (seed 004): ≥ 1 DRANE member, inspector or head of school; 1–2 experts."""
    return [dict(group, roles=list(group["roles"])) for group in PIX_EDU_GROUPS]


class JurorRole(models.TextChoices):
    DRANE = "drane", _("Membre de la DRANE")
    INSPECTEUR = "inspecteur", _("Inspecteur")
    DIRECTION = "direction", _("Personnel de direction")
    EXPERT = "expert", _("Expert Pix+ Édu")
    FORMATEUR = "formateur", _("Formateur")
    PAIR = "pair", _("Pair")


class ValidatedDeliberationError(Exception):
    """Raised on any attempt to change or delete a validated deliberation."""


class JurySettings(models.Model):
    """A campaign's jury rule and scheduling settings (defaults: Pix+ Édu, seed 004)."""

    class PracticeSource(models.TextChoices):
        SHEET = "sheet", _("Niveau du bordereau d'entretien (le jury s'appuie sur le dossier et l'oral)")
        LOWER = "lower", _("Le plus bas des niveaux du dossier et du bordereau")

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="jury_settings"
    )
    size = models.PositiveSmallIntegerField(
        _("membres par jury"), default=3, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    groups = models.JSONField(
        _("groupes de rôles"),
        default=default_groups,
        help_text=_("Liste de groupes {roles, min, max} ; un rôle n'appartient qu'à un groupe."),
    )
    same_academy = models.BooleanField(
        _("jurés de l'académie du candidat admis"),
        default=False,
        help_text=_("Décoché : jurys interacadémiques, aucun juré de l'académie du candidat."),
    )
    halfday_slots = models.PositiveSmallIntegerField(
        _("oraux par demi-journée et par jury"), default=4, validators=[MinValueValidator(1)]
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("battement entre deux oraux (minutes)"), default=10, validators=[MaxValueValidator(120)]
    )
    morning_start = models.TimeField(_("début des oraux le matin"), default="08:30")
    afternoon_start = models.TimeField(_("début des oraux l'après-midi"), default="13:30")
    scoring_after_calibration = models.BooleanField(
        _("évaluation ouverte après la réunion de cadrage"), default=True
    )
    practice_source = models.CharField(
        _("niveau de pratique professionnelle"),
        max_length=10,
        choices=PracticeSource.choices,
        default=PracticeSource.SHEET,
    )

    class Meta:
        verbose_name = _("réglages des jurys")
        verbose_name_plural = _("réglages des jurys")
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gte=1), name="jury_settings_size_positive"),
            models.CheckConstraint(
                condition=models.Q(halfday_slots__gte=1), name="jury_settings_slots_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(practice_source__in=["sheet", "lower"]),
                name="jury_settings_practice_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Jurys — {self.campaign}"


class Juror(models.Model):
    """A person in a campaign's juror pool, with what the composition needs to know."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="jurors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="juror_profiles"
    )
    role = models.CharField(_("qualité"), max_length=20, choices=JurorRole.choices)
    academy = models.ForeignKey(
        "campaigns.Academy", verbose_name=_("académie"), on_delete=models.PROTECT, related_name="+"
    )
    halfdays = models.JSONField(
        _("demi-journées disponibles"), default=list, help_text=_("Par exemple 2026-05-12-am, 2026-05-12-pm.")
    )
    max_load = models.PositiveSmallIntegerField(
        _("nombre maximal de candidats"), default=12, validators=[MinValueValidator(1)]
    )
    conflict_enrolments = models.ManyToManyField(
        "campaigns.Enrolment",
        verbose_name=_("conflits d'intérêts déclarés (candidats)"),
        blank=True,
        related_name="+",
    )
    conflict_schools = models.JSONField(
        _("conflits d'intérêts déclarés (établissements, UAI)"), default=list, blank=True
    )

    class Meta:
        verbose_name = _("juré")
        verbose_name_plural = _("jurés")
        ordering = ("user__last_name", "user__first_name", "pk")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="juror_unique_per_campaign"),
            models.CheckConstraint(condition=models.Q(max_load__gte=1), name="juror_max_load_positive"),
            models.CheckConstraint(condition=models.Q(role__in=JurorRole.values), name="juror_role_valid"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.email


class CandidateSchool(models.Model):
    """The school a candidate works in (UAI), matched against the jurors' declared conflicts."""

    enrolment = models.OneToOneField("campaigns.Enrolment", on_delete=models.PROTECT, related_name="school")
    uai = models.CharField(_("UAI de l'établissement"), max_length=10)
    name = models.CharField(_("établissement"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("établissement du candidat")
        verbose_name_plural = _("établissements des candidats")

    def __str__(self) -> str:
        return f"{self.uai} {self.name}".strip()


class CompositionRun(models.Model):
    """One run of the automatic composition, kept with the solver's figures or explanation."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="composition_runs"
    )
    at = models.DateTimeField(_("date"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    status = models.CharField(_("résultat"), max_length=12)
    method = models.CharField(_("méthode"), max_length=20)
    result = models.JSONField(_("réponse du solveur"), default=dict)

    class Meta:
        verbose_name = _("composition automatique")
        verbose_name_plural = _("compositions automatiques")
        ordering = ("-at", "-pk")

    def __str__(self) -> str:
        return f"{self.campaign} — {self.status} ({self.at:%d/%m/%Y %H:%M})"


class JuryGroup(models.Model):
    """Juries led by one president, who runs their calibration and harmonisation meetings."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="jury_groups")
    name = models.CharField(_("nom"), max_length=120)
    regroupement = models.ForeignKey(
        "campaigns.Regroupement",
        verbose_name=_("regroupement inter-académique"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jury_groups",
        help_text=_("Son président préside les jurys du groupe."),
    )
    president = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("président"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presided_jury_groups",
    )

    class Meta:
        verbose_name = _("groupe de jurys")
        verbose_name_plural = _("groupes de jurys")
        ordering = ("name", "pk")
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="jury_group_unique_name")]

    def __str__(self) -> str:
        return self.name


class Jury(models.Model):
    """A team of jurors sitting together on one half-day — or, for an INSPÉ's initial training
    (seed 002), the student's own teachers (``kind`` teachers, number 0, one per campaign: its
    slots are the teachers' evaluations, never touched by the composition)."""

    class Kind(models.TextChoices):
        COMPOSED = "composed", _("Jury composé")
        TEACHERS = "teachers", _("Enseignants de l'étudiant (formation initiale)")

    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices, default=Kind.COMPOSED)
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="juries")
    group = models.ForeignKey(JuryGroup, on_delete=models.PROTECT, related_name="juries")
    number = models.PositiveIntegerField(_("numéro"))
    halfday = models.CharField(_("demi-journée"), max_length=20)
    visio_link = models.URLField(_("lien de visioconférence"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("jury")
        verbose_name_plural = _("jurys")
        ordering = ("halfday", "number")
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="jury_unique_number")]

    def __str__(self) -> str:
        return f"Jury {self.number}"


class JuryMember(models.Model):
    class Role(models.TextChoices):
        PRESIDENT = "president", _("Président du jury")
        QUESTIONER = "questioner", _("Questionneur")
        NOTE_TAKER = "note_taker", _("Secrétaire (prise de notes)")

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="members")
    juror = models.ForeignKey(Juror, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("rôle dans le jury"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("membre de jury")
        verbose_name_plural = _("membres de jury")
        ordering = ("jury", "role", "pk")
        constraints = [
            models.UniqueConstraint(fields=["jury", "juror"], name="jury_member_unique"),
            models.UniqueConstraint(
                fields=["jury"], condition=models.Q(role="president"), name="jury_one_president"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juror} — {self.get_role_display()}"


class OralSlot(models.Model):
    """A candidate's oral before a jury: the slot of the half-day and its start time."""

    jury = models.ForeignKey(Jury, on_delete=models.PROTECT, related_name="slots")
    enrolment = models.OneToOneField(
        "campaigns.Enrolment", on_delete=models.PROTECT, related_name="oral_slot"
    )
    index = models.PositiveSmallIntegerField(_("créneau"), validators=[MinValueValidator(1)])
    starts_at = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("durée de l'oral (minutes)"),
        default=45,
        validators=[MinValueValidator(1)],
        help_text=_("Durée de l'oral de la campagne, majorée du temps accordé au candidat."),
    )
    visio_link = models.URLField(_("lien de visioconférence"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("créneau d'oral")
        verbose_name_plural = _("créneaux d'oral")
        ordering = ("starts_at", "pk")
        constraints = [
            models.UniqueConstraint(fields=["jury", "index"], name="oral_slot_unique_index"),
            models.CheckConstraint(condition=models.Q(index__gte=1), name="oral_slot_index_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.jury} n° {self.index}"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        CALIBRATION = "calibration", _("Réunion de cadrage")
        HARMONISATION = "harmonisation", _("Réunion d'harmonisation")

    group = models.ForeignKey(
        JuryGroup, on_delete=models.PROTECT, related_name="meetings", null=True, blank=True
    )
    regroupement = models.ForeignKey(
        "campaigns.Regroupement",
        verbose_name=_("regroupement inter-académique"),
        on_delete=models.PROTECT,
        related_name="meetings",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("nature"), max_length=14, choices=Kind.choices)
    held_at = models.DateTimeField(_("date"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("participants"), related_name="+"
    )
    minutes = models.TextField(_("compte rendu"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("réunion de jury")
        verbose_name_plural = _("réunions de jury")
        ordering = ("held_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["calibration", "harmonisation"]), name="meeting_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(group__isnull=False) | models.Q(regroupement__isnull=False),
                name="meeting_of_group_or_regroupement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.regroupement or self.group} ({self.held_at:%d/%m/%Y})"


class GridScore(models.Model):
    """One juror's independent scoring of a candidate's dossier grid.

    ``levels`` maps a criterion id to a level id or ``"non_observable"``; ``comments`` maps an
    item id to the juror's comment. ``oral_levels`` / ``oral_comments``: the juror's own oral score
    sheet (a level and a comment per domain, a domain may stay unevaluated). Saved as typed;
    ``submitted_at`` closes it.
    """

    NON_OBSERVABLE = "non_observable"

    slot = models.ForeignKey(OralSlot, on_delete=models.PROTECT, related_name="grid_scores")
    juror = models.ForeignKey(Juror, on_delete=models.PROTECT, related_name="grid_scores")
    levels = models.JSONField(_("niveaux par critère"), default=dict, blank=True)
    comments = models.JSONField(_("commentaires par item"), default=dict, blank=True)
    oral_levels = models.JSONField(_("niveaux par domaine (entretien)"), default=dict, blank=True)
    oral_comments = models.JSONField(_("commentaires par domaine (entretien)"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("enregistré le"), auto_now=True)
    submitted_at = models.DateTimeField(_("transmis le"), null=True, blank=True)

    class Meta:
        verbose_name = _("évaluation individuelle")
        verbose_name_plural = _("évaluations individuelles")
        constraints = [models.UniqueConstraint(fields=["slot", "juror"], name="grid_score_unique")]

    def __str__(self) -> str:
        return f"{self.juror} — {self.slot.enrolment}"


class Deliberation(models.Model):
    """The jury's decision for one candidate: consensus grid, oral score sheet, computed levels.

    A draft is edited during harmonisation; validation freezes it. A change afterwards is a new
    deliberation (``number`` + 1, with a reason) that supersedes the previous one.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("En harmonisation")
        VALIDATED = "validated", _("Validée")

    class Outcome(models.TextChoices):
        CERTIFIED = "certified", _("Certifié")
        ADJOURNED = "adjourned", _("Ajourné")
        NOT_CERTIFIED = "not_certified", _("Non certifié")
        INELIGIBLE = "ineligible", _("Non recevable")

    slot = models.ForeignKey(OralSlot, on_delete=models.PROTECT, related_name="deliberations")
    number = models.PositiveSmallIntegerField(_("numéro"), default=1)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.DRAFT)
    consensus = models.JSONField(_("grille de consensus"), default=dict, blank=True)
    item_comments = models.JSONField(_("commentaires de la grille"), default=dict, blank=True)
    oral_levels = models.JSONField(_("niveaux du bordereau par domaine"), default=dict, blank=True)
    oral_comments = models.JSONField(_("commentaires du bordereau par domaine"), default=dict, blank=True)
    verdicts = models.JSONField(
        _("validations du jury"),
        default=dict,
        blank=True,
        help_text=_(
            "Référentiels par compétences : {competences: {id: bool}} ; par blocs : "
            "{blocks: {id: {validated, on}}, final_interview: bool ou null}."
        ),
    )
    verdict_comments = models.JSONField(_("commentaires des validations"), default=dict, blank=True)
    evaluation = models.JSONField(_("niveaux calculés et motifs"), default=dict, blank=True)
    final_level = models.CharField(_("niveau final"), max_length=40, blank=True)
    outcome = models.CharField(_("décision"), max_length=20, choices=Outcome.choices, blank=True)
    change_reason = models.TextField(_("motif de la nouvelle délibération"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("ouverte le"), auto_now_add=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("délibération")
        verbose_name_plural = _("délibérations")
        ordering = ("slot", "number")
        constraints = [
            models.UniqueConstraint(fields=["slot", "number"], name="deliberation_unique_number"),
            models.UniqueConstraint(
                fields=["slot"], condition=models.Q(state="draft"), name="deliberation_one_draft"
            ),
            models.CheckConstraint(
                condition=(models.Q(state="draft") & models.Q(validated_at__isnull=True))
                | (models.Q(state="validated") & models.Q(validated_at__isnull=False)),
                name="deliberation_validated_iff_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(number=1) | ~models.Q(change_reason=""),
                name="deliberation_change_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Délibération {self.number} — {self.slot.enrolment}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if (
            self.pk is not None
            and Deliberation.objects.filter(pk=self.pk, state=self.State.VALIDATED).exists()
        ):
            raise ValidatedDeliberationError("A validated deliberation never changes.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidatedDeliberationError("Deliberations are never deleted.")


class JuryQuestion(models.Model):
    """A question added by a juror to the campaign's bank (Annexe 8 comes from the référentiel)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="jury_questions"
    )
    domain = models.CharField(_("domaine"), max_length=20)
    text = models.TextField(_("question"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("question du jury")
        verbose_name_plural = _("questions du jury")
        ordering = ("domain", "created_at", "pk")

    def __str__(self) -> str:
        return self.text[:60]


class JurorFeedback(models.Model):
    """The questionnaire a juror answers after a session (seed 004, §5.2): 1 to 4 per topic."""

    TOPICS = ("dossiers", "traces", "analyses", "organisation")
    SCALE = [
        (1, _("Pas du tout satisfait")),
        (2, _("Peu satisfait")),
        (3, _("Satisfait")),
        (4, _("Très satisfait")),
    ]

    juror = models.OneToOneField(Juror, on_delete=models.PROTECT, related_name="feedback")
    dossiers = models.PositiveSmallIntegerField(_("qualité des dossiers"), choices=SCALE)
    traces = models.PositiveSmallIntegerField(_("qualité des traces"), choices=SCALE)
    analyses = models.PositiveSmallIntegerField(_("qualité des analyses critiques"), choices=SCALE)
    organisation = models.PositiveSmallIntegerField(_("organisation des jurys"), choices=SCALE)
    comment = models.TextField(_("commentaire"), blank=True)
    submitted_at = models.DateTimeField(_("transmis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("retour d'un juré")
        verbose_name_plural = _("retours des jurés")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dossiers__range=(1, 4))
                & models.Q(traces__range=(1, 4))
                & models.Q(analyses__range=(1, 4))
                & models.Q(organisation__range=(1, 4)),
                name="juror_feedback_scale",
            )
        ]

    def __str__(self) -> str:
        return f"Retour — {self.juror}"


class TeacherAttachment(models.Model):
    """A teacher of the campaign's organisation attached to one of their students (seed 002:
    « une évaluation assurée par les enseignants pour la formation initiale »)."""

    enrolment = models.ForeignKey(
        "campaigns.Enrolment", on_delete=models.PROTECT, related_name="teacher_attachments"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enseignant"),
        on_delete=models.PROTECT,
        related_name="taught_enrolments",
    )
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attached_at = models.DateTimeField(_("rattaché le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rattachement enseignant")
        verbose_name_plural = _("rattachements enseignants")
        ordering = ("enrolment", "pk")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "teacher"], name="teacher_attachment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} → {self.enrolment}"


class AssessedActivity(models.Model):
    """The one professional activity the teachers evaluate, phase by phase (seed 002)."""

    enrolment = models.OneToOneField(
        "campaigns.Enrolment", on_delete=models.PROTECT, related_name="assessed_activity"
    )
    title = models.CharField(_("intitulé de l'activité"), max_length=200)
    description = models.TextField(_("description (contexte, public, outils)"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("activité évaluée")
        verbose_name_plural = _("activités évaluées")

    def __str__(self) -> str:
        return self.title


# The oral rehearsals' models live in their own module (registered with the app from here).
from certeval.juries.rehearsal_models import RehearsalBooking, RehearsalSlot  # noqa: E402, F401
