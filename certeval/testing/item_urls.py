"""The item writers' pages, under ``banque-de-questions/`` (certeval/urls.py), next to the calibration
pages of ``banque-de-questions/<bank>/calibrations/``."""

from django.urls import path

from certeval.testing import item_views as views

app_name = "items"

urlpatterns = [
    path("", views.bank_index, name="index"),
    path("<slug:bank>/", views.bank_home, name="home"),
    path("<slug:bank>/questions/", views.item_list, name="list"),
    path("<slug:bank>/questions/nouvelle/", views.item_new, name="create"),
    path("<slug:bank>/questions/<int:item_id>/", views.item_detail, name="detail"),
    path("<slug:bank>/questions/<int:item_id>/modifier/", views.item_change, name="edit"),
    path("<slug:bank>/questions/<int:item_id>/apercu/", views.item_preview, name="preview"),
    path("<slug:bank>/questions/<int:item_id>/relecture/", views.item_review_view, name="review"),
    path("<slug:bank>/questions/<int:item_id>/soumettre/", views.item_submit_view, name="submit"),
    path("<slug:bank>/questions/<int:item_id>/statut/", views.item_transition_view, name="transition"),
    path("<slug:bank>/questions/<int:item_id>/historique/", views.item_history, name="history"),
    path("<slug:bank>/relecture/", views.review_queue, name="queue"),
    path("<slug:bank>/couverture/", views.coverage, name="coverage"),
    path("<slug:bank>/import-export/", views.exchange, name="exchange"),
    path("<slug:bank>/export/<str:fmt>/", views.export, name="export"),
    path("<slug:bank>/redacteurs/", views.writers, name="writers"),
]
