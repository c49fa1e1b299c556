from django.urls import path

from certeval.results import award_views as views

urlpatterns = [
    path("mes-attestations/", views.my_awards, name="my_awards"),
    path("mes-attestations/<int:award_id>/attestation.pdf", views.award_pdf, name="award_pdf"),
    path("mes-attestations/<int:award_id>/affichage/", views.award_disclosure, name="award_disclosure"),
    path("verifier/", views.verify, name="verify"),
    path("verifier/<str:code>/", views.verify_code, name="verify_code"),
    path("campagnes/<int:campaign_id>/attestations/", views.campaign_awards, name="campaign_awards"),
    path(
        "campagnes/<int:campaign_id>/attestations/<int:award_id>/revoquer/",
        views.award_revoke_view,
        name="award_revoke",
    ),
]
