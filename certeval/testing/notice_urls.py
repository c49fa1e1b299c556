from django.urls import path

from certeval.testing import notice_views

app_name = "remote_notice"

urlpatterns = [
    path("<int:campaign_id>/", notice_views.notice_page, name="page"),
]
