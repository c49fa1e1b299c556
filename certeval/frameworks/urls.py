from django.urls import path

from certeval.frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="list"),
    path("recherche/", views.framework_search, name="search"),
    path("<slug:framework_id>/", views.framework_detail, name="detail"),
    path("<slug:framework_id>/v<int:version_number>/", views.framework_detail, name="version"),
    path("<slug:framework_id>/export.case.json", views.framework_export_case, name="export-case"),
    path(
        "<slug:framework_id>/case/<str:kind>/<uuid:identifier>",
        views.framework_case_node,
        name="case-node",
    ),
    path("<slug:framework_id>/export.yaml", views.framework_export_yaml, name="export-yaml"),
    path("<slug:framework_id>/export.json", views.framework_export_json, name="export-json"),
]
