from django.urls import path

from certeval.juries.teacher_views import (
    teacher_campaign,
    teacher_evaluation,
    teacher_evaluation_confirm,
    teacher_students,
)
from certeval.juries.views.composition import (
    campaign_compose,
    campaign_juries,
    group_president,
    jury_detail,
    jury_visio,
    meeting_create,
    member_swap,
    my_juries,
    slot_move,
)
from certeval.juries.views.deliberation import (
    deliberation_reopen,
    deliberation_validate,
    harmonise,
    jury_agreement,
    score_sheet,
)
from certeval.juries.views.pool import composition_rule, juror_edit, juror_pool
from certeval.juries.views.questions import feedback, question_bank
from certeval.juries.views.regroup import regroupement_detail, regroupement_meeting
from certeval.juries.views.scoring import score, score_autosave

app_name = "juries"

urlpatterns = [
    path("", my_juries, name="mine"),
    path("campagne/<int:campaign_id>/", campaign_juries, name="campaign"),
    path("campagne/<int:campaign_id>/composer/", campaign_compose, name="compose"),
    path("campagne/<int:campaign_id>/remplacer/", member_swap, name="swap"),
    path("campagne/<int:campaign_id>/deplacer/", slot_move, name="move"),
    path("campagne/<int:campaign_id>/vivier/", juror_pool, name="pool"),
    path("campagne/<int:campaign_id>/vivier/<int:juror_id>/", juror_edit, name="juror"),
    path("campagne/<int:campaign_id>/regle/", composition_rule, name="rule"),
    path("campagne/<int:campaign_id>/questions/", question_bank, name="questions"),
    path("campagne/<int:campaign_id>/questionnaire/", feedback, name="feedback"),
    path("campagne/<int:campaign_id>/enseignants/", teacher_campaign, name="teacher_campaign"),
    path("mes-etudiants/", teacher_students, name="teacher_students"),
    path("etudiant/<int:enrolment_id>/evaluation/", teacher_evaluation, name="teacher_evaluation"),
    path(
        "etudiant/<int:enrolment_id>/evaluation/valider/",
        teacher_evaluation_confirm,
        name="teacher_evaluation_validate",
    ),
    path("groupe/<int:group_id>/president/", group_president, name="group_president"),
    path("regroupement/<int:regroupement_id>/", regroupement_detail, name="regroupement"),
    path("regroupement/<int:regroupement_id>/reunion/", regroupement_meeting, name="regroupement_meeting"),
    path("<int:jury_id>/", jury_detail, name="jury"),
    path("<int:jury_id>/visio/", jury_visio, name="visio"),
    path("<int:jury_id>/reunion/", meeting_create, name="meeting"),
    path("<int:jury_id>/harmonisation/", jury_agreement, name="agreement"),
    path("oral/<int:slot_id>/evaluer/", score, name="score"),
    path("oral/<int:slot_id>/evaluer/enregistrer/", score_autosave, name="autosave"),
    path("oral/<int:slot_id>/harmoniser/", harmonise, name="harmonise"),
    path("oral/<int:slot_id>/valider/", deliberation_validate, name="validate"),
    path("oral/<int:slot_id>/nouvelle-deliberation/", deliberation_reopen, name="reopen"),
    path("oral/<int:slot_id>/bordereau.pdf", score_sheet, name="score_sheet"),
]
