from django.urls import path

from certeval.juries import views

app_name = "juries"

urlpatterns = [
    path("", views.my_juries, name="mine"),
    path("campagne/<int:campaign_id>/", views.campaign_juries, name="campaign"),
    path("campagne/<int:campaign_id>/composer/", views.campaign_compose, name="compose"),
    path("campagne/<int:campaign_id>/remplacer/", views.member_swap, name="swap"),
    path("campagne/<int:campaign_id>/deplacer/", views.slot_move, name="move"),
    path("campagne/<int:campaign_id>/vivier/", views.juror_pool, name="pool"),
    path("campagne/<int:campaign_id>/vivier/<int:juror_id>/", views.juror_edit, name="juror"),
    path("campagne/<int:campaign_id>/regle/", views.composition_rule, name="rule"),
    path("campagne/<int:campaign_id>/volet-automatise/", views.automated_results, name="automated"),
    path("campagne/<int:campaign_id>/questions/", views.question_bank, name="questions"),
    path("campagne/<int:campaign_id>/questionnaire/", views.feedback, name="feedback"),
    path("groupe/<int:group_id>/president/", views.group_president, name="group_president"),
    path("<int:jury_id>/", views.jury_detail, name="jury"),
    path("<int:jury_id>/visio/", views.jury_visio, name="visio"),
    path("<int:jury_id>/reunion/", views.meeting_create, name="meeting"),
    path("<int:jury_id>/harmonisation/", views.jury_agreement, name="agreement"),
    path("oral/<int:slot_id>/evaluer/", views.score, name="score"),
    path("oral/<int:slot_id>/evaluer/enregistrer/", views.score_autosave, name="autosave"),
    path("oral/<int:slot_id>/harmoniser/", views.harmonise, name="harmonise"),
    path("oral/<int:slot_id>/valider/", views.deliberation_validate, name="validate"),
    path("oral/<int:slot_id>/nouvelle-deliberation/", views.deliberation_reopen, name="reopen"),
    path("oral/<int:slot_id>/bordereau.pdf", views.score_sheet, name="score_sheet"),
]
