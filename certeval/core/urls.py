from django.urls import path

from certeval.core import views

app_name = "core"

urlpatterns = [
    path("accessibilite/", views.accessibility, name="accessibility"),
]
