"""The candidate's proctored test, under ``epreuve/`` (certeval/urls.py): public, the sitting is the one
this browser joined (Django session), never named in a URL."""

from django.urls import path

from certeval.testing import sitting_answer_views as answers
from certeval.testing import sitting_views as views

app_name = "sitting"

urlpatterns = [
    path("", views.join, name="join"),
    path("quitter/", views.leave, name="leave"),
    path("passage/", views.page, name="page"),
    path("passage/accueil/", views.welcome, name="welcome"),
    path("passage/etat/", views.poll, name="poll"),
    path("passage/commencer/", views.start, name="start"),
    path("passage/autre-onglet/", views.takeover, name="takeover"),
    path("passage/reprendre/", views.resume_here, name="resume"),
    path("passage/fin/", views.end, name="end"),
    path("passage/reponse/", answers.answer, name="answer"),
    path("passage/pouls/", answers.heartbeat, name="heartbeat"),
    path("passage/page/", answers.page_event, name="page_event"),
    path("passage/signaler/", answers.report, name="report"),
    path("passage/messages/", answers.sitting_messages, name="messages"),
    path("passage/terminer/", answers.abandon, name="abandon"),
    path("passage/question/<int:position>/image/", answers.question_file, {"which": "image"}, name="image"),
    path(
        "passage/question/<int:position>/fichier/",
        answers.question_file,
        {"which": "fichier"},
        name="attachment",
    ),
]
