from django.urls import include, path

from certeval.results import views

app_name = "results"

urlpatterns = [
    path("mes-certifications/<int:enrolment_id>/resultat/", views.candidate_result, name="result"),
    path("mes-certifications/<int:enrolment_id>/bordereau.pdf", views.candidate_score_sheet, name="sheet"),
    path("", include("certeval.results.files_urls")),
]
