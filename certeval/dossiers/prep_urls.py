"""Preparation support of the candidate (seed 004, §5.2 and §6): the candidate guide and the peer
review of a draft dossier. Included at the site's root (certeval/urls.py)."""

from django.urls import path

from certeval.dossiers import guide_views, peer_views

app_name = "prep"

urlpatterns = [
    path("mes-certifications/<int:enrolment_id>/guide/", guide_views.guide, name="guide"),
    path("mes-certifications/<int:enrolment_id>/relecture/", peer_views.peer_review, name="peer_review"),
    path(
        "mes-certifications/<int:enrolment_id>/relecture/<int:invitation_id>/revoquer/",
        peer_views.peer_revoke,
        name="peer_revoke",
    ),
    path("relectures/", peer_views.my_reviews, name="peer_mine"),
    path("relecture/<str:token>/", peer_views.peer_read, name="peer_read"),
    path("relecture/<str:token>/fichiers/<int:file_id>/", peer_views.peer_file, name="peer_file"),
]
