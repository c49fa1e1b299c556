from django.urls import path

from certeval.results import credential_views as views

urlpatterns = [
    path("openbadges/issuer", views.issuer_profile, name="credential_issuer"),
    path("openbadges/issuer/keys", views.issuer_keys, name="credential_keys"),
    path("openbadges/issuer/jwks.json", views.issuer_jwks, name="credential_jwks"),
    path("openbadges/issuer/jwk/<str:kid>", views.issuer_jwk, name="credential_jwk"),
    path("openbadges/status/<int:number>", views.status_list, name="credential_status_list"),
    path("mes-attestations/<int:award_id>/openbadge.json", views.download_json, name="credential_json"),
    path("mes-attestations/<int:award_id>/openbadge.jwt", views.download_jwt, name="credential_jwt"),
    path("mes-attestations/<int:award_id>/openbadge.png", views.download_png, name="credential_png"),
]
