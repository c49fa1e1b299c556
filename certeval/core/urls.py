from django.urls import path

from certeval.core import health_views, views

app_name = "core"

urlpatterns = [
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("sante/", health_views.health, name="health"),
    path("pret/", health_views.readiness, name="readiness"),
    path("metrics", health_views.metrics_view, name="metrics"),
]
