from django.urls import path

from certeval.campaigns import (
    audit_views,
    edit_views,
    enrolment_views,
    organisation_views,
    regroup_views,
    role_views,
    titre_views,
    views,
)

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("nouvelle/", views.campaign_create, name="create"),
    path("dossiers-a-lire/", role_views.reviews, name="reviews"),
    path("organisations/", organisation_views.organisation_list, name="organisations"),
    path("organisations/<int:organisation_id>/", organisation_views.organisation_detail, name="organisation"),
    path(
        "organisations/<int:organisation_id>/retirer/",
        organisation_views.organisation_member_remove,
        name="organisation_member_remove",
    ),
    path(
        "organisations/<int:organisation_id>/campagne/",
        organisation_views.organisation_campaign_attach,
        name="organisation_campaign",
    ),
    path("<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("<int:campaign_id>/modifier/", edit_views.campaign_edit, name="edit"),
    path("<int:campaign_id>/etat/", views.campaign_transition, name="transition"),
    path("<int:campaign_id>/rappels/", views.campaign_reminders, name="reminders"),
    path("<int:campaign_id>/roles/", role_views.campaign_roles, name="roles"),
    path("<int:campaign_id>/regroupements/", regroup_views.regroupement_list, name="regroupements"),
    path("regroupements/<int:regroupement_id>/", regroup_views.regroupement_edit, name="regroupement_edit"),
    path("<int:campaign_id>/roles/retirer/", role_views.campaign_role_revoke, name="role_revoke"),
    path("<int:campaign_id>/journal/", audit_views.campaign_log, name="audit"),
    path("<int:campaign_id>/sessions/nouvelle/", views.session_create, name="session_create"),
    path("<int:campaign_id>/candidats/", enrolment_views.enrolment_list, name="enrolments"),
    path("<int:campaign_id>/candidats/session/", edit_views.enrolment_bulk_session, name="bulk_session"),
    path("<int:campaign_id>/candidats/inscrire/", enrolment_views.enrolment_create, name="enrolment_create"),
    path("<int:campaign_id>/candidats/importer/", enrolment_views.enrolment_import, name="import"),
    path(
        "<int:campaign_id>/candidats/importer/confirmer/",
        enrolment_views.enrolment_import_confirm,
        name="import_confirm",
    ),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("sessions/<int:session_id>/emargement.pdf", views.session_attendance, name="session_attendance"),
    path("<int:campaign_id>/sessions/emargements.zip", views.campaign_attendance, name="attendance_archive"),
    path("candidats/<int:enrolment_id>/", enrolment_views.enrolment_detail, name="enrolment"),
    path("candidats/<int:enrolment_id>/blocs/", titre_views.enrolment_blocs, name="enrolment_blocs"),
    path("mes-blocs/", titre_views.my_blocs, name="my_blocs"),
    path("candidats/<int:enrolment_id>/modifier/", edit_views.enrolment_edit, name="enrolment_edit"),
    path(
        "candidats/<int:enrolment_id>/prerequis/",
        enrolment_views.enrolment_prerequisites,
        name="prerequisites",
    ),
    path(
        "candidats/<int:enrolment_id>/attestation/", enrolment_views.enrolment_attestation, name="attestation"
    ),
    path(
        "candidats/<int:enrolment_id>/session/",
        enrolment_views.enrolment_assign_session,
        name="assign_session",
    ),
]
