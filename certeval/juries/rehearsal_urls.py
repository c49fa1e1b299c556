"""Oral rehearsals (seed 004, §5.2), included at the site's root (certeval/urls.py): the staff's
pages under ``jurys/``, the candidate's under ``mes-certifications/``."""

from django.urls import path

from certeval.juries import rehearsal_views as views

app_name = "rehearsals"

urlpatterns = [
    path("jurys/campagne/<int:campaign_id>/repetitions/", views.campaign_rehearsals, name="campaign"),
    path("jurys/repetitions/<int:slot_id>/retour/", views.rehearsal_feedback, name="feedback"),
    path("mes-certifications/<int:enrolment_id>/repetition/", views.candidate_rehearsal, name="candidate"),
    path("mes-certifications/<int:enrolment_id>/repetition/reserver/", views.candidate_book, name="book"),
]
