from django.urls import path

from certeval.dossiers import evidence_views, views

app_name = "dossiers"

urlpatterns = [
    path("mes-certifications/", views.mine, name="mine"),
    path("mes-certifications/<int:enrolment_id>/dossier/", views.deposit, name="deposit"),
    path("mes-certifications/<int:enrolment_id>/dossier/retirer/", views.withdraw, name="withdraw"),
    path("mes-certifications/<int:enrolment_id>/dossier/soumettre/", views.submit, name="submit"),
    path(
        "mes-certifications/<int:enrolment_id>/dossier/preuves/",
        evidence_views.declare,
        name="evidence_declare",
    ),
    path(
        "mes-certifications/<int:enrolment_id>/dossier/preuves/<int:declaration_id>/retirer/",
        evidence_views.withdraw,
        name="evidence_withdraw",
    ),
    path("mes-certifications/<int:enrolment_id>/historique/", views.history, name="history"),
    path("mes-certifications/<int:enrolment_id>/recepisse/", views.receipt, name="receipt"),
    path("mes-certifications/<int:enrolment_id>/recepisse.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("dossiers/fichiers/<int:file_id>/", views.file_download, name="file"),
]
