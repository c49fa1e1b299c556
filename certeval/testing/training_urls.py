"""Training pages, under ``tests-en-ligne/entrainement/`` (certeval/urls.py)."""

from django.urls import path

from certeval.testing import training_views as views

app_name = "training"

urlpatterns = [
    path("", views.home, name="home"),
    path("competence/<slug:part>/<str:competence>/", views.start, name="start"),
    path("seance/<int:run_id>/", views.session, name="session"),
    path("seance/<int:run_id>/questions/<int:position>/", views.answer, name="answer"),
    path("seance/<int:run_id>/questions/<int:position>/correction/", views.feedback, name="feedback"),
    path("seance/<int:run_id>/bilan/", views.summary, name="summary"),
    path("seance/<int:run_id>/terminer/", views.finish, name="finish"),
]
