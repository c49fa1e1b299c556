from django.urls import path

from certeval.testing import kit_views

app_name = "kits"

urlpatterns = [
    path("sessions/<int:session_id>/kit.pdf", kit_views.session_kit, name="session"),
    path("campagnes/<int:campaign_id>/kits.zip", kit_views.campaign_kits, name="campaign"),
]
