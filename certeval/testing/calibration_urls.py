"""Calibration pages, under ``banque-de-questions/<bank>/calibrations/`` (certeval/urls.py)."""

from django.urls import path

from certeval.testing import calibration_views as views

app_name = "calibrations"

urlpatterns = [
    path("", views.calibration_list, name="list"),
    path("<int:calibration_id>/", views.calibration_detail, name="detail"),
    path("<int:calibration_id>/activer/", views.calibration_activation, name="activate"),
    path("<int:calibration_id>/ecarter/", views.calibration_discard_view, name="discard"),
]
