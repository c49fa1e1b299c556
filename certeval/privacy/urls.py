from django.urls import path

from certeval.privacy import access_views, notice_views, register_views
from certeval.privacy import requests_views as views

app_name = "privacy"

urlpatterns: list = [
    path("traitements/", notice_views.notice_index, name="notices"),
    path("traitements/<slug:slug>/", notice_views.notice_detail, name="notice"),
    path("registre/", register_views.register_page, name="register"),
    path("registre.csv", register_views.register_csv_download, name="register_csv"),
    path("registre.json", register_views.register_json_download, name="register_json"),
    path("mes-donnees/", access_views.mine, name="mine"),
    path("mes-donnees/export.json", access_views.mine_json, name="mine_json"),
    path("mes-donnees/export.pdf", access_views.mine_pdf, name="mine_pdf"),
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
