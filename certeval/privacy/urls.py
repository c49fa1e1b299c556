from django.urls import path

from certeval.privacy import requests_views as views

app_name = "privacy"

urlpatterns: list = [
    path("mes-demandes/", views.my_requests, name="requests"),
    path("effacement/", views.erasure, name="erasure"),
    path("rectification/", views.rectification, name="rectification"),
    path("mes-demandes/<int:request_id>/justificatif/", views.proof, name="proof"),
    path("demandes/", views.admin_requests, name="admin_requests"),
    path("demandes/<int:request_id>/", views.request_detail, name="request_detail"),
    path("demandes/<int:request_id>/accepter/", views.request_accept, name="request_accept"),
    path("demandes/<int:request_id>/refuser/", views.request_refuse, name="request_refuse"),
    path("demandes/<int:request_id>/prolonger/", views.request_extend, name="request_extend"),
]
