"""The candidate's online tests, under ``tests-en-ligne/`` (certeval/urls.py); training lives under
``tests-en-ligne/entrainement/``."""

from django.urls import path

from certeval.testing import run_views as views

app_name = "runs"

urlpatterns = [
    path("", views.home, name="home"),
    path("preferences/", views.preferences, name="preferences"),
    path("parcours-bilan/<slug:bank>/commencer/", views.start, name="start"),
    path("parcours-bilan/<int:run_id>/", views.question, name="question"),
    path("parcours-bilan/<int:run_id>/resultat/", views.result, name="result"),
]
