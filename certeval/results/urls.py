from django.urls import path

from certeval.results import dashboard_urls, views

app_name = "results"

urlpatterns = [
    path("mes-certifications/<int:enrolment_id>/resultat/", views.candidate_result, name="result"),
    path("mes-certifications/<int:enrolment_id>/bordereau.pdf", views.candidate_score_sheet, name="sheet"),
]
urlpatterns += dashboard_urls.urlpatterns
