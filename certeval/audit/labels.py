"""What the audit log shows a reader: a French label for every action code and object type.

The codes stay in the rows (stable, searchable); pages show these labels, and an unknown code is
shown as it is so that nothing is hidden."""

from __future__ import annotations

from collections.abc import Mapping

from django.apps import apps
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

ACTIONS: Mapping[str, Promise] = {
    "account.create": _("Création d'un compte"),
    "campaign.create": _("Création de la campagne"),
    "campaign.transition": _("Changement d'état de la campagne"),
    "campaign.update": _("Modification de la campagne"),
    "campaign.deadline_reminders": _("Rappels d'échéance envoyés"),
    "campaign.role_grant": _("Attribution d'un rôle"),
    "campaign.role_revoke": _("Retrait d'un rôle"),
    "session.create": _("Création d'une session"),
    "enrolment.create": _("Inscription d'un candidat"),
    "enrolment.bulk_import": _("Import d'inscriptions"),
    "enrolment.assign_session": _("Affectation à une session"),
    "enrolment.update": _("Modification d'une inscription"),
    "enrolment.trainer_experience": _("Première expérience de formateur"),
    "enrolment.reviewer_assign": _("Attribution d'un dossier à lire"),
    "enrolment.reviewer_unassign": _("Retrait d'un dossier à lire"),
    "enrolment.attestation_download": _("Téléchargement de l'attestation"),
    "dossier.upload": _("Dépôt d'un fichier"),
    "dossier.withdraw": _("Retrait d'un fichier"),
    "dossier.submit": _("Dépôt définitif"),
    "dossier.freeze": _("Dossier figé"),
    "dossier.not_deposited": _("Dossier non déposé"),
    "dossier.receipt": _("Récépissé émis"),
    "dossier.receipt_email": _("Récépissé envoyé par courriel"),
    "dossier.download": _("Téléchargement d'un fichier"),
    "dossier.receipt_download": _("Téléchargement du récépissé"),
    "juries.settings_update": _("Réglages des jurys"),
    "juries.juror_add": _("Ajout d'un juré au vivier"),
    "juries.juror_update": _("Modification d'un juré"),
    "juries.conflicts": _("Conflits d'intérêts déclarés"),
    "juries.conflict_declare": _("Déclaration d'un conflit d'intérêts"),
    "juries.candidate_school": _("Établissement du candidat"),
    "juries.automated_result": _("Résultat du volet automatisé"),
    "juries.automated_import": _("Import des résultats du volet automatisé"),
    "testing.automated_result": _("Résultat du volet automatisé"),
    "testing.automated_import": _("Import des résultats du volet automatisé"),
    "juries.compose": _("Composition des jurys"),
    "juries.member_swap": _("Remplacement d'un membre de jury"),
    "juries.slot_move": _("Déplacement d'un oral"),
    "juries.visio": _("Lien de visioconférence"),
    "juries.group_president": _("Désignation du président de groupe"),
    "juries.meeting": _("Réunion de cadrage ou d'harmonisation"),
    "juries.score_submit": _("Évaluation transmise"),
    "juries.deliberation_save": _("Délibération enregistrée"),
    "juries.decision": _("Décision validée"),
    "juries.deliberation_reopen": _("Nouvelle délibération"),
    "juries.score_sheet_download": _("Téléchargement du bordereau"),
    "juries.question_add": _("Ajout d'une question du jury"),
    "juries.feedback": _("Questionnaire de fin de session"),
}


def action_label(code: str) -> str:
    label = ACTIONS.get(code)
    return str(label) if label is not None else code


def target_type_label(target_type: str) -> str:
    """An object type (``app.model``) by its model's French name; an unknown type as it is."""
    try:
        return capfirst(str(apps.get_model(target_type)._meta.verbose_name))
    except (LookupError, ValueError):
        return target_type


def target_label(target_type: str, target_id: str) -> str:
    """The object's type and number: « Inscription n° 15 »."""
    return _("%(kind)s n° %(id)s") % {"kind": target_type_label(target_type), "id": target_id}
