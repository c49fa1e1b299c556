"""Campaigns of a published référentiel: sessions, the people who run them, the enrolled candidates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from certeval.accounts.roles import Role


class Academy(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=120, unique=True)
    region = models.CharField(_("région académique"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("académie")
        verbose_name_plural = _("académies")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A certifying body (seed 002): an INSPÉ certifies its master MEEF students, a rectorat its
    staff, possibly with a public operator (Canopé, CNED). Its members organise its campaigns or,
    for an INSPÉ, evaluate their students (the teachers)."""

    class Kind(models.TextChoices):
        INSPE = "inspe", _("INSPÉ")
        RECTORAT = "rectorat", _("Rectorat")
        OPERATOR = "operator", _("Opérateur public (Canopé, CNED…)")

    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("nom"), max_length=200, unique=True)
    academy = models.ForeignKey(
        Academy,
        verbose_name=_("académie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Laissée vide pour un opérateur national."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation certificatrice")
        verbose_name_plural = _("organisations certificatrices")
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["inspe", "rectorat", "operator"]), name="organisation_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationMember(models.Model):
    """A person's role in an organisation: organiser of its campaigns, or teacher (INSPÉ) who
    evaluates the students attached to them."""

    class Role(models.TextChoices):
        ORGANISER = "organiser", _("Organisateur des campagnes de l'organisation")
        TEACHER = "teacher", _("Enseignant (évalue ses étudiants)")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organisation_memberships"
    )
    role = models.CharField(_("rôle dans l'organisation"), max_length=10, choices=Role.choices)
    added_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    class Meta:
        verbose_name = _("membre d'une organisation")
        verbose_name_plural = _("membres des organisations")
        ordering = ("organisation", "role", "user__last_name", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "role"], name="organisation_member_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["organiser", "teacher"]), name="organisation_member_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    OPEN = "open", _("Ouverte (dépôt en cours)")
    DEPOSIT_CLOSED = "deposit_closed", _("Dépôt clos")
    JURIES = "juries", _("Jurys en cours")
    DELIBERATION = "deliberation", _("Délibération")
    PUBLISHED = "published", _("Résultats publiés")
    ARCHIVED = "archived", _("Archivée")


class FinalPolicy(models.TextChoices):
    JOINT = "joint", _("Niveau le plus élevé reconnu conjointement")
    ADJOURN = "adjourn", _("Ajournement en cas de distorsion")


class TieRule(models.TextChoices):
    LOWER = "lower", _("Niveau inférieur en cas d'égalité")
    HIGHER = "higher", _("Niveau supérieur en cas d'égalité")


class PrerequisitePolicy(models.TextChoices):
    WARN = "warn", _("Signaler seulement (inscription et dépôt acceptés)")
    REFUSE_DEPOSIT = "refuse_deposit", _("Refuser le dépôt du dossier tant qu'un prérequis manque")
    REFUSE_ENROLMENT = "refuse_enrolment", _("Refuser l'inscription quand un prérequis manque")


class Campaign(models.Model):
    """One run of a certification on one published référentiel version, with its settings."""

    title = models.CharField(_("intitulé"), max_length=200)
    slug = models.SlugField(
        _("identifiant court"),
        max_length=80,
        unique=True,
        blank=True,
        help_text=_("Utilisé par la ligne de commande ; déduit de l'intitulé s'il est laissé vide."),
    )
    framework_version = models.ForeignKey(
        "frameworks.FrameworkVersion",
        verbose_name=_("version du référentiel"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    state = models.CharField(
        _("état"), max_length=20, choices=CampaignState.choices, default=CampaignState.DRAFT
    )
    final_policy = models.CharField(
        _("politique de décision finale"),
        max_length=10,
        choices=FinalPolicy.choices,
        default=FinalPolicy.ADJOURN,
    )
    tie_rule = models.CharField(
        _("règle d'égalité"), max_length=10, choices=TieRule.choices, default=TieRule.LOWER
    )
    deposit_deadline = models.DateTimeField(_("date limite de dépôt du dossier"))
    oral_duration_minutes = models.PositiveSmallIntegerField(
        _("durée de l'oral (minutes)"), default=45, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    reading_delay_days = models.PositiveSmallIntegerField(
        _("délai de lecture des dossiers (jours)"),
        default=7,
        validators=[MaxValueValidator(60)],
        help_text=_(
            "Nombre minimal de jours entre le gel du dossier et l'oral, pour que les jurés le lisent "
            "(une à deux semaines selon le rapport de jury Pix+ Édu)."
        ),
    )
    allow_bloc_retake = models.BooleanField(
        _("repasser un bloc déjà validé"),
        default=False,
        help_text=_(
            "Titre par blocs : permet à un candidat de s'inscrire à un bloc qu'il détient déjà "
            "(le bloc reste acquis à sa première date de validation)."
        ),
    )
    prerequisite_policy = models.CharField(
        _("prérequis non remplis"),
        max_length=20,
        choices=PrerequisitePolicy.choices,
        default=PrerequisitePolicy.WARN,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation certificatrice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        help_text=_("Ses organisateurs gèrent la campagne ; ses enseignants évaluent leurs étudiants."),
    )
    mention_4_included = models.BooleanField(
        _("mention 4 proposée à l'inscription"),
        default=True,
        help_text=_(
            "Référentiels à mentions (INSPÉ) : décocher pour exclure la mention 4, comme "
            "l'expérimentation 2022-2023."
        ),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        ordering = ("-deposit_deadline", "title")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=CampaignState.values), name="campaign_state_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(final_policy__in=FinalPolicy.values), name="campaign_final_policy_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_campaign_slug(self.title)
        super().save(*args, **kwargs)

    @property
    def level_choices(self) -> list[tuple[str, str]]:
        return [(level["id"], level["label"]) for level in self.framework_version.document.get("levels", [])]


def unique_campaign_slug(title: str) -> str:
    """``slugify(title)``, suffixed with -2, -3… when another campaign already has it."""
    base = slugify(title)[:70] or "campagne"
    slug, n = base, 1
    while Campaign.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class Regroupement(models.Model):
    """A regroupement inter-académique of a campaign (seed 004, §4.2.1 and §5.1): academies that
    organise their sessions together. Its president runs the calibration and harmonisation
    meetings of its juries; its juries hear its candidates with its jurors."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="regroupements")
    name = models.CharField(_("nom"), max_length=120)
    academies = models.ManyToManyField(
        Academy,
        verbose_name=_("académies"),
        through="RegroupementAcademy",
        related_name="regroupements",
    )
    president = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("président"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="presided_regroupements",
    )

    class Meta:
        verbose_name = _("regroupement inter-académique")
        verbose_name_plural = _("regroupements inter-académiques")
        ordering = ("name", "pk")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="regroupement_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class RegroupementAcademy(models.Model):
    """An academy in a regroupement; an academy belongs to at most one regroupement per campaign."""

    regroupement = models.ForeignKey(Regroupement, on_delete=models.CASCADE, related_name="memberships")
    academy = models.ForeignKey(Academy, on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("académie d'un regroupement")
        verbose_name_plural = _("académies des regroupements")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "academy"], name="regroupement_academy_once"),
        ]

    def __str__(self) -> str:
        return f"{self.academy} — {self.regroupement}"


class CampaignTransition(models.Model):
    """The log of a campaign's state changes (insert-only)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(_("état de départ"), max_length=20, choices=CampaignState.choices)
    to_state = models.CharField(_("nouvel état"), max_length=20, choices=CampaignState.choices)
    at = models.DateTimeField(_("date"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    note = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("changement d'état")
        verbose_name_plural = _("changements d'état")
        ordering = ("at", "pk")

    def __str__(self) -> str:
        return f"{self.campaign}: {self.from_state} → {self.to_state}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("The transition log is insert-only.")
        super().save(*args, **kwargs)


class Session(models.Model):
    class Mode(models.TextChoices):
        ONSITE = "onsite", _("Sur place")
        REMOTE = "remote", _("À distance (visio)")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="sessions")
    label = models.CharField(_("intitulé"), max_length=200)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    mode = models.CharField(_("modalité"), max_length=10, choices=Mode.choices, default=Mode.ONSITE)
    place = models.CharField(_("lieu ou lien de visio"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacité"), default=30)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ("starts_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="session_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.label


class CampaignRole(models.Model):
    """A staff role held on one campaign, optionally scoped to an academy (organisers) or a session
    (invigilators)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="campaign_roles"
    )
    role = models.CharField(
        _("rôle"),
        max_length=20,
        choices=[(r.value, r.label) for r in (Role.ORGANISER, Role.JUROR, Role.PRESIDENT, Role.INVIGILATOR)],
    )
    academy = models.ForeignKey(
        Academy, verbose_name=_("académie"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rôle sur une campagne")
        verbose_name_plural = _("rôles sur les campagnes")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user", "role", "academy", "session"], name="campaign_role_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["organiser", "juror", "president", "invigilator"]),
                name="campaign_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.campaign}"


class Candidate(models.Model):
    """A person's civil identity, shared by all their enrolments."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="candidate")
    birth_name = models.CharField(_("nom de naissance"), max_length=150)
    usual_name = models.CharField(_("nom d'usage"), max_length=150, blank=True)
    first_names = models.CharField(_("prénoms"), max_length=200)
    birth_date = models.DateField(_("date de naissance"))
    birth_place = models.CharField(_("lieu de naissance"), max_length=150, blank=True)
    email = models.EmailField(_("adresse électronique"), unique=True)

    class Meta:
        verbose_name = _("candidat")
        verbose_name_plural = _("candidats")
        ordering = ("birth_name", "first_names")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = self.usual_name or self.birth_name
        return f"{name.upper()} {self.first_names}"


class LearnerAccompaniment(models.TextChoices):
    """The second half of the Facilitateur's prerequisite (seed 001)."""

    ACCOMPANIED = "accompanied", _("A déjà accompagné des apprenants ciblés par la certification")
    PLANNED = (
        "planned",
        _("A le projet professionnel d'accompagner des apprenants ciblés par la certification"),
    )


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Inscrit")
        ELIMINATED = "eliminated", _("Éliminé")
        WITHDRAWN = "withdrawn", _("Désisté")

    class SchoolLevel(models.TextChoices):
        PRIMARY = "premier", _("Premier degré")
        SECONDARY = "second", _("Second degré")

    class Training(models.TextChoices):
        INITIAL = "initiale", _("Formation initiale")
        CONTINUING = "continue", _("Formation continue")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="enrolments")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="enrolments")
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    academy = models.ForeignKey(
        Academy, verbose_name=_("académie"), on_delete=models.PROTECT, related_name="+"
    )
    school_level = models.CharField(_("degré"), max_length=10, choices=SchoolLevel.choices)
    training = models.CharField(_("formation"), max_length=10, choices=Training.choices)
    target_level = models.CharField(_("niveau visé"), max_length=40, blank=True)
    mention = models.PositiveSmallIntegerField(
        _("mention du master MEEF"),
        null=True,
        blank=True,
        choices=[(1, _("Mention 1")), (2, _("Mention 2")), (3, _("Mention 3")), (4, _("Mention 4"))],
    )
    extra_time_percent = models.PositiveSmallIntegerField(
        _("temps majoré (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    accessible_formats = models.CharField(_("formats accessibles"), max_length=300, blank=True)
    other_needs = models.TextField(_("autres besoins"), blank=True)
    trainer_experience_years = models.PositiveSmallIntegerField(
        _("expérience de formateur (années)"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    trainer_experience = models.TextField(_("expérience de formateur"), blank=True)
    trainer_experience_declared = models.BooleanField(
        _("expérience de formateur déclarée sur l'honneur"), default=False
    )
    learner_accompaniment = models.CharField(
        _("accompagnement des apprenants ciblés"),
        max_length=12,
        blank=True,
        choices=LearnerAccompaniment.choices,
    )
    trainer_attestation_name = models.CharField(_("attestation (nom du fichier)"), max_length=160, blank=True)
    trainer_attestation_storage = models.CharField(
        _("attestation (emplacement)"), max_length=400, blank=True, editable=False
    )
    trainer_attestation_sha256 = models.CharField(
        _("attestation (empreinte SHA-256)"), max_length=64, blank=True
    )
    blocs = models.JSONField(
        _("blocs visés"),
        default=list,
        blank=True,
        help_text=_("Titre par blocs : les blocs présentés dans cette campagne (liste d'identifiants)."),
    )
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.ENROLLED)
    status_reason = models.CharField(_("motif"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ("candidate__birth_name", "candidate__first_names")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "candidate"], name="enrolment_unique_per_campaign"),
            models.CheckConstraint(
                condition=models.Q(extra_time_percent__lte=100), name="enrolment_extra_time_max"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="eliminated") | ~models.Q(status_reason=""),
                name="enrolment_elimination_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} — {self.campaign}"


class HeldBloc(models.Model):
    """A bloc of a title (seed 003) a person holds: validated once by a jury, on a day, in a session
    of a campaign, and kept across sessions and campaigns on the same référentiel (insert-only;
    the juries context writes it when a deliberation is validated)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="held_blocs")
    framework_code = models.SlugField(_("référentiel"), max_length=80)
    bloc = models.CharField(_("bloc"), max_length=20)
    validated_on = models.DateField(_("validé le"))
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campagne"), on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("inscription"), on_delete=models.PROTECT, related_name="validated_blocs"
    )
    # The juries deliberation that validated it (no foreign key: juries sits above campaigns).
    deliberation_ref = models.PositiveIntegerField(_("délibération"))
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("bloc détenu")
        verbose_name_plural = _("blocs détenus")
        ordering = ("framework_code", "bloc")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "framework_code", "bloc"], name="held_bloc_once_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} — {self.framework_code} — {self.bloc}"


class ReviewerAssignment(models.Model):
    """A juror or jury president allowed to read one candidate's dossier.

    The hook for juries (issue 5): composing a jury creates these rows; the permission module only
    reads them, so jurors see exactly the candidates of their juries.
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="reviewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    role = models.CharField(
        _("rôle"), max_length=20, choices=[(r.value, r.label) for r in (Role.JUROR, Role.PRESIDENT)]
    )

    class Meta:
        verbose_name = _("affectation de lecture")
        verbose_name_plural = _("affectations de lecture")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "user"], name="reviewer_assignment_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["juror", "president"]), name="reviewer_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.enrolment}"


class DeadlineReminder(models.Model):
    """A deadline reminder sent to one candidate for one window (N days before the deadline), once."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="deadline_reminders")
    days_before = models.PositiveSmallIntegerField(_("jours avant l'échéance"))
    sent_at = models.DateTimeField(_("envoyé le"))

    class Meta:
        verbose_name = _("rappel d'échéance")
        verbose_name_plural = _("rappels d'échéance")
        ordering = ("-sent_at", "pk")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "days_before"], name="deadline_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — J-{self.days_before}"
