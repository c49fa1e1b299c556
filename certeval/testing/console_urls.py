"""The invigilator console and the organiser's pages about proctored sessions, under ``surveillance/``
(certeval/urls.py): docs/testing.md, « Invigilator console » and « Incidents and finalisation »."""

from django.urls import path

from certeval.testing import console_open_views as opening
from certeval.testing import console_views as views
from certeval.testing import incident_views

app_name = "console"

urlpatterns = [
    path("", opening.index, name="index"),
    path("ouvrir/", opening.open_console, name="open"),
    path("<int:delivery_id>/", views.detail, name="detail"),
    path("<int:delivery_id>/direct/", views.live, name="live"),
    path("<int:delivery_id>/signalements/", views.alerts, name="alerts"),
    path("<int:delivery_id>/signalements/<int:alert_id>/", views.handle_alert, name="alert"),
    path("<int:delivery_id>/incidents/", views.report_incident, name="incident"),
    path("<int:delivery_id>/finalisation/", views.finalise, name="finalise"),
    path("<int:delivery_id>/quitter/", opening.leave, name="leave"),
    path(
        "<int:delivery_id>/candidats/<int:sitting_id>/messages/",
        views.conversation,
        name="conversation",
    ),
    # One address per action on a candidate: presence, identite, autorisation, pause, reprise, temps,
    # arret, message.
    *[
        path(
            f"<int:delivery_id>/candidats/<int:sitting_id>/{action}/",
            views.act,
            {"action": action},
            name=f"act_{action}",
        )
        for action in views.ACTIONS
    ],
    path("campagne/<int:campaign_id>/", incident_views.campaign, name="campaign"),
    path("campagne/<int:campaign_id>/reglages/", incident_views.settings_update, name="settings"),
    path(
        "campagne/<int:campaign_id>/sessions/<int:session_id>/ouvrir/",
        incident_views.open_session,
        name="open_session",
    ),
    path("incidents/", incident_views.incidents, name="incidents"),
    path("incidents/<int:incident_id>/decision/", incident_views.decide, name="decide"),
]
