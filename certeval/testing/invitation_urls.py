"""Placement-run invitations, under ``tests-en-ligne/`` (certeval/urls.py): the organiser's page of a
campaign and the invitee's link."""

from django.urls import path

from certeval.testing import invitation_views as views

app_name = "invitations"

urlpatterns = [
    path("invitations/campagne/<int:campaign_id>/", views.campaign_invitations, name="campaign"),
    path(
        "invitations/campagne/<int:campaign_id>/<int:invitation_id>/revoquer/",
        views.revoke,
        name="revoke",
    ),
    path("invitation/<str:token>/", views.accept, name="accept"),
]
