from django.urls import path

from certeval.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.global_log, name="global"),
]
