"""The roles a person may hold in Certeval (see docs/permissions.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CANDIDATE = "candidate", _("Candidat")
    JUROR = "juror", _("Juré")
    PRESIDENT = "president", _("Président de jury")
    ORGANISER = "organiser", _("Organisateur")
    INVIGILATOR = "invigilator", _("Surveillant")
    # An INSPÉ teacher: a member of an organisation with the teacher role, who evaluates the
    # students attached to them (seed 002; certeval.campaigns.organisation_permissions).
    TEACHER = "teacher", _("Enseignant INSPÉ")
    ADMINISTRATOR = "administrator", _("Administrateur")


STAFF_ROLES = (Role.ORGANISER, Role.JUROR, Role.PRESIDENT, Role.INVIGILATOR)
REVIEWER_ROLES = (Role.JUROR, Role.PRESIDENT)
