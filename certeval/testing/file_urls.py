"""Item version files, under ``fichiers-de-question/`` (certeval/urls.py)."""

from django.urls import path

from certeval.testing import file_views

app_name = "item_files"

urlpatterns = [
    path("<int:version_id>/image/", file_views.version_file, {"which": "image"}, name="image"),
    path("<int:version_id>/fichier/", file_views.version_file, {"which": "fichier"}, name="attachment"),
]
