from django.urls import path

from certeval.campaigns import audit_views, edit_views, views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("nouvelle/", views.campaign_create, name="create"),
    path("dossiers-a-lire/", views.reviews, name="reviews"),
    path("<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("<int:campaign_id>/modifier/", edit_views.campaign_edit, name="edit"),
    path("<int:campaign_id>/etat/", views.campaign_transition, name="transition"),
    path("<int:campaign_id>/rappels/", views.campaign_reminders, name="reminders"),
    path("<int:campaign_id>/roles/", views.campaign_roles, name="roles"),
    path("<int:campaign_id>/roles/retirer/", views.campaign_role_revoke, name="role_revoke"),
    path("<int:campaign_id>/journal/", audit_views.campaign_log, name="audit"),
    path("<int:campaign_id>/sessions/nouvelle/", views.session_create, name="session_create"),
    path("<int:campaign_id>/candidats/", views.enrolment_list, name="enrolments"),
    path("<int:campaign_id>/candidats/session/", edit_views.enrolment_bulk_session, name="bulk_session"),
    path("<int:campaign_id>/candidats/inscrire/", views.enrolment_create, name="enrolment_create"),
    path("<int:campaign_id>/candidats/importer/", views.enrolment_import, name="import"),
    path(
        "<int:campaign_id>/candidats/importer/confirmer/",
        views.enrolment_import_confirm,
        name="import_confirm",
    ),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("candidats/<int:enrolment_id>/", views.enrolment_detail, name="enrolment"),
    path("candidats/<int:enrolment_id>/modifier/", edit_views.enrolment_edit, name="enrolment_edit"),
    path("candidats/<int:enrolment_id>/prerequis/", views.enrolment_prerequisites, name="prerequisites"),
    path("candidats/<int:enrolment_id>/attestation/", views.enrolment_attestation, name="attestation"),
    path("candidats/<int:enrolment_id>/session/", views.enrolment_assign_session, name="assign_session"),
]
