from django.urls import path

from certeval.results import cdc_views

app_name = "cdc"

urlpatterns = [
    path("campagne/<int:campaign_id>/", cdc_views.campaign_declaration, name="campaign"),
    path("campagne/<int:campaign_id>/exporter/", cdc_views.export, name="export"),
    path("campagne/<int:campaign_id>/accuse/", cdc_views.acknowledgement, name="acknowledgement"),
    path("campagne/<int:campaign_id>/reglages/", cdc_views.declaration_settings, name="settings"),
    path("flux/<int:submission_id>/", cdc_views.download, name="download"),
    path("titulaires/<int:enrolment_id>/", cdc_views.holder_correction, name="holder"),
]
