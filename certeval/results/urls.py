from django.urls import include, path

from certeval.results import dashboard_urls, views
from certeval.results.award_urls import urlpatterns as award_urlpatterns
from certeval.results.credential_urls import urlpatterns as credential_urlpatterns

app_name = "results"

urlpatterns = [
    path("mes-certifications/<int:enrolment_id>/resultat/", views.candidate_result, name="result"),
    path("mes-certifications/<int:enrolment_id>/bordereau.pdf", views.candidate_score_sheet, name="sheet"),
    path("", include("certeval.results.files_urls")),
]
urlpatterns += award_urlpatterns
urlpatterns += credential_urlpatterns
urlpatterns += dashboard_urls.urlpatterns
