from django.urls import path

from certeval.results import stats_views

app_name = "stats"

urlpatterns = [
    path("statistiques/campagne/<int:campaign_id>/", stats_views.statistics, name="campaign"),
    path(
        "statistiques/campagne/<int:campaign_id>/statistiques.csv",
        stats_views.statistics_download,
        name="csv",
    ),
]
