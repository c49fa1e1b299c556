from django.urls import path

from certeval.results import dashboard_views

urlpatterns = [
    path(
        "resultats/campagnes/<int:campaign_id>/tableau-de-bord/",
        dashboard_views.dashboard,
        name="dashboard",
    ),
    path(
        "resultats/campagnes/<int:campaign_id>/tableau-de-bord/candidats.csv",
        dashboard_views.dashboard_export,
        name="dashboard_export",
    ),
    path(
        "resultats/campagnes/<int:campaign_id>/bordereaux/<int:academy_id>.zip",
        dashboard_views.academy_score_sheets,
        name="academy_score_sheets",
    ),
    path(
        "resultats/sessions/<int:session_id>/publier/",
        dashboard_views.session_publish_page,
        name="session_publish",
    ),
]
