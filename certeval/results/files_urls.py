from django.urls import path

from certeval.results import files_views

urlpatterns = [
    path("resultats/campagnes/<int:campaign_id>/fichiers/", files_views.files_page, name="files"),
    path(
        "resultats/campagnes/<int:campaign_id>/resultats.csv",
        files_views.results_file,
        {"fmt": "csv"},
        name="files_csv",
    ),
    path(
        "resultats/campagnes/<int:campaign_id>/resultats.xlsx",
        files_views.results_file,
        {"fmt": "xlsx"},
        name="files_xlsx",
    ),
    path("resultats/jurys/<int:jury_id>/proces-verbal.pdf", files_views.jury_minutes, name="minutes"),
]
