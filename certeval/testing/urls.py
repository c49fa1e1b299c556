from django.urls import path

from certeval.testing import views

app_name = "testing"

urlpatterns = [
    path("campagne/<int:campaign_id>/", views.automated_results, name="automated"),
]
