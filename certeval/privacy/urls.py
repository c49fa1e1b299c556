from django.urls import path

from certeval.privacy import access_views, notice_views, register_views

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
]
