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
    "organisation.create": _("Création d'une organisation certificatrice"),
    "organisation.member_add": _("Ajout d'un membre à une organisation"),
    "organisation.member_remove": _("Retrait d'un membre d'une organisation"),
    "juries.teacher_attach": _("Rattachement d'un enseignant à un étudiant"),
    "juries.teacher_evaluation_save": _("Évaluation enregistrée par un enseignant"),
    "session.create": _("Création d'une session"),
    "enrolment.create": _("Inscription d'un candidat"),
    "enrolment.bulk_import": _("Import d'inscriptions"),
    "enrolment.assign_session": _("Affectation à une session"),
    "enrolment.blocs_set": _("Choix des blocs présentés"),
    "enrolment.blocs_record": _("Blocs validés inscrits au parcours du candidat"),
    "enrolment.update": _("Modification d'une inscription"),
    "enrolment.trainer_experience": _("Première expérience de formateur"),
    "enrolment.reviewer_assign": _("Attribution d'un dossier à lire"),
    "enrolment.reviewer_unassign": _("Retrait d'un dossier à lire"),
    "enrolment.attestation_download": _("Téléchargement de l'attestation"),
    "dossier.upload": _("Dépôt d'un fichier"),
    "dossier.withdraw": _("Retrait d'un fichier"),
    "dossier.evidence_declare": _("Déclaration d'une preuve"),
    "dossier.evidence_withdraw": _("Retrait d'une preuve déclarée"),
    "dossier.submit": _("Dépôt définitif"),
    "dossier.freeze": _("Dossier figé"),
    "dossier.not_deposited": _("Dossier non déposé"),
    "dossier.receipt": _("Récépissé émis"),
    "dossier.receipt_email": _("Récépissé envoyé par courriel"),
    "dossier.download": _("Téléchargement d'un fichier"),
    "dossier.receipt_download": _("Téléchargement du récépissé"),
    "dossier.peer_invite": _("Invitation d'un pair à relire le brouillon"),
    "dossier.peer_invitation_email": _("Invitation à relire envoyée par courriel"),
    "dossier.peer_revoke": _("Révocation d'une invitation à relire"),
    "dossier.peer_feedback": _("Avis d'un pair sur le brouillon"),
    "dossier.peer_download": _("Lecture d'un fichier du brouillon par un pair"),
    "juries.rehearsal_open": _("Ouverture d'un créneau de répétition de l'oral"),
    "juries.rehearsal_book": _("Réservation d'une répétition de l'oral"),
    "juries.rehearsal_feedback": _("Retour sur une répétition de l'oral"),
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
    "testing.training_start": _("Début d'une séance d'entraînement"),
    "testing.training_finish": _("Fin d'une séance d'entraînement"),
    "testing.calibration_start": _("Lancement d'une calibration"),
    "testing.calibration_done": _("Calibration terminée"),
    "testing.calibration_fail": _("Échec d'une calibration"),
    "testing.calibration_activate": _("Activation d'une calibration"),
    "testing.calibration_discard": _("Calibration écartée"),
    "testing.item_create": _("Création d'une question"),
    "testing.item_edit": _("Modification d'une question"),
    "testing.item_submit": _("Question soumise à la relecture"),
    "testing.item_review": _("Relecture d'une question"),
    "testing.item_status": _("Changement de statut d'une question"),
    "testing.item_import": _("Import d'une question"),
    "testing.writer_grant": _("Ajout d'un rédacteur de questions"),
    "testing.writer_revoke": _("Retrait d'un rédacteur de questions"),
    "testing.placement_start": _("Début d'un parcours bilan"),
    "testing.placement_finish": _("Fin d'un parcours bilan"),
    "testing.placement_target_level": _("Niveau visé proposé par le parcours bilan"),
    "testing.profile_update": _("Préférences des tests en ligne"),
    "testing.answer": _("Réponse à une question en ligne"),
    "testing.invitation_send": _("Invitation au parcours bilan"),
    "testing.invitation_revoke": _("Révocation d'une invitation au parcours bilan"),
    "testing.invitation_accept": _("Acceptation d'une invitation au parcours bilan"),
    "testing.invitation_identity": _("Identité donnée à l'acceptation d'une invitation"),
    "testing.sitting_join": _("Connexion d'un candidat à une session surveillée"),
    "testing.sitting_start": _("Début d'une épreuve surveillée"),
    "testing.sitting_finish": _("Fin d'une épreuve surveillée"),
    "testing.sitting_outage": _("Temps rendu après une interruption du service"),
    "testing.sitting_present": _("Présence constatée"),
    "testing.sitting_identity": _("Identité vérifiée"),
    "testing.sitting_authorise": _("Début d'épreuve autorisé"),
    "testing.sitting_pause": _("Épreuve mise en pause"),
    "testing.sitting_resume": _("Épreuve reprise"),
    "testing.sitting_add_time": _("Temps ajouté"),
    "testing.sitting_end": _("Épreuve arrêtée par le surveillant"),
    "testing.alert_raise": _("Signalement d'un problème par un candidat"),
    "testing.alert_validate": _("Signalement validé : question remplacée"),
    "testing.alert_dismiss": _("Signalement rejeté"),
    "testing.incident_report": _("Incident signalé"),
    "testing.incident_decide": _("Décision sur un incident"),
    "testing.session_open": _("Session ouverte en épreuve en ligne surveillée"),
    "testing.session_finalise": _("Finalisation d'une session surveillée"),
    "testing.session_results": _("Résultats d'une session surveillée enregistrés"),
    "testing.session_kit": _("Téléchargement du kit d'une session surveillée"),
    "testing.proctoring_purge": _("Événements et messages de surveillance supprimés (durée de conservation)"),
    "testing.console_open": _("Ouverture de l'espace surveillant avec le mot de passe de la session"),
    "testing.delivery_settings": _("Modification des réglages de l'épreuve surveillée"),
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
    "results.session_publish": _("Publication des résultats d'une session"),
    "results.score_sheets_archive": _("Téléchargement des bordereaux d'une académie"),
    "results.file_download": _("Téléchargement d'un fichier de résultats"),
    "results.minutes_download": _("Téléchargement du procès-verbal d'un jury"),
    "juries.question_add": _("Ajout d'une question du jury"),
    "juries.feedback": _("Questionnaire de fin de session"),
    "results.award_issue": _("Délivrance d'une attestation"),
    "results.award_revoke": _("Révocation d'une attestation"),
    "results.award_disclosure": _("Choix d'affichage d'une attestation"),
    "results.stats_import": _("Import d'une campagne passée (statistiques)"),
    "cdc.export": _("Flux de déclaration à la Caisse des Dépôts produit"),
    "cdc.download": _("Téléchargement du flux de déclaration à la Caisse des Dépôts"),
    "cdc.acknowledgement": _("Import de l'accusé de traitement de la Caisse des Dépôts"),
    "cdc.correction": _("Correction des données déclarées d'un titulaire"),
    "cdc.settings": _("Réglages de déclaration à la Caisse des Dépôts"),
    "cdc.reminder": _("Rappel de l'échéance de déclaration à la Caisse des Dépôts"),
    "results.credential_key_create": _("Création d'une clé de signature des justificatifs"),
    "results.credential_key_rotate": _("Rotation des clés de signature des justificatifs"),
    "admin.add": _("Ajout dans l'administration"),
    "admin.change": _("Modification dans l'administration"),
    "admin.delete": _("Suppression dans l'administration"),
}

# The keys of an audit row's data, by their French label (an unknown key is shown as it is).
FIELDS: Mapping[str, Promise] = {
    "title": _("Intitulé"),
    "bloc": _("Bloc"),
    "show_name": _("Nom affiché"),
    "show_level": _("Niveau affiché"),
    "show_date": _("Dates affichées"),
    "from": _("Avant"),
    "blockers": _("Points à régler"),
    "bulk": _("Placement groupé"),
    "changes": _("Modifications"),
    "identity_fields": _("Champs d'identité modifiés"),
    "previous": _("Délibération précédente"),
    "previous_session": _("Session précédente"),
    "run": _("Composition"),
    "deliberation": _("Délibération"),
    "to": _("Après"),
    "campaign": _("Campagne"),
    "organisation": _("Organisation certificatrice"),
    "mention_4_included": _("Mention 4 proposée à l'inscription"),
    "user": _("Personne"),
    "email": _("Adresse électronique"),
    "role": _("Rôle"),
    "academy": _("Académie"),
    "session": _("Session"),
    "count": _("Nombre"),
    "days_before": _("Jours avant l'échéance"),
    "files": _("Fichiers"),
    "file": _("Fichier"),
    "name": _("Fichier"),
    "size": _("Taille"),
    "replaces": _("Remplace"),
    "kind": _("Nature"),
    "sha256": _("Empreinte SHA-256"),
    "attestation_sha256": _("Empreinte de l'attestation"),
    "years": _("Années d'expérience"),
    "declared": _("Déclaré sur l'honneur"),
    "fields": _("Champs modifiés"),
    "added": _("Ajoutés"),
    "removed": _("Retirés"),
    "enrolment": _("Candidat"),
    "uai": _("Établissement (UAI)"),
    "level": _("Niveau"),
    "obtained_on": _("Obtenu le"),
    "part": _("Partie"),
    "rows": _("Lignes importées"),
    "year": _("Année"),
    "juror_answers": _("Réponses des jurés importées"),
    "format": _("Format"),
    "decisions": _("Décisions validées"),
    "missing": _("Candidats sans décision validée"),
    "juries": _("Jurys"),
    "candidates": _("Candidats"),
    "jury": _("Jury"),
    "slot": _("Oral"),
    "link": _("Lien"),
    "president": _("Président"),
    "meeting": _("Réunion"),
    "juror": _("Juré"),
    "domain": _("Domaine"),
    "halfdays": _("Demi-journées"),
    "reason": _("Motif"),
    "final_level": _("Niveau final"),
    "practice_level": _("Niveau de pratique professionnelle"),
    "outcome": _("Décision"),
    "verdicts": _("Verdicts"),
    "competences": _("Compétences"),
    "object": _("Objet"),
    "bank_version": _("Version de la banque"),
    "items": _("Questions calibrées"),
    "skipped": _("Questions non calibrées (trop peu de réponses)"),
    "flagged": _("Questions signalées"),
    "kept": _("Questions signalées gardant leurs paramètres"),
    "bank": _("Banque de questions"),
    "version": _("Version de la question"),
    "invitation": _("Invitation au parcours bilan"),
    "rejected": _("Rejetés"),
    "deadline": _("Échéance"),
}

# The source documents of the rules (seed files), as a reader knows them: a decision's reasons
# cite them.
SOURCES: Mapping[str, Promise] = {
    "000_cc2933e6c7ac7519.txt": _("référentiel « Former de manière innovante en langues vivantes »"),
    "001_5353a008a90c41c9.txt": _("référentiel « Facilitateur d'apprentissage »"),
    "002_f98227469d526591.txt": _("certification numérique des étudiants INSPÉ"),
    "003_eac13c03062e88f4.txt": _("titre professionnel de responsable de formation"),
    "004_c07952bd9563431b.txt": _("rapport du jury Pix+ Édu 2022-2023"),
}

# Levels of the automated part and of practice, as the référentiels name them.
LEVELS: Mapping[str, Promise] = {
    "initie": _("Initié"),
    "confirme": _("Confirmé"),
    "avance": _("Avancé"),
    "expert": _("Expert"),
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


def field_label(key: str) -> str:
    label = FIELDS.get(key)
    return str(label) if label is not None else key


def target_label(target_type: str, target_id: str) -> str:
    """The object's type and number, when nothing better is known: « Inscription n° 15 »
    (pages name the object itself, see ``certeval.audit.details``)."""
    return _("%(kind)s n° %(id)s") % {"kind": target_type_label(target_type), "id": target_id}
